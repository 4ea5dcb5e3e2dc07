package whatsappcloud

import (
	"encoding/json"
	"strings"
	"testing"

	"sukma/bot"
)

func options(labels ...string) []bot.Option {
	o := make([]bot.Option, len(labels))
	for i, l := range labels {
		o[i] = bot.Option{Label: l}
	}
	return o
}

// sent is the interactive part of a message, decoded as the Graph API reads it.
type sent struct {
	Type string `json:"type"`
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
	Action struct {
		Buttons []struct {
			Reply struct{ ID, Title string } `json:"reply"`
		} `json:"buttons"`
		Button   string `json:"button"`
		Sections []struct {
			Rows []struct{ ID, Title, Description string } `json:"rows"`
		} `json:"sections"`
	} `json:"action"`
}

func TestOptionsGoAsButtonsAListOrNumberedText(t *testing.T) {
	long := "Ada tetapi tidak berfungsi dengan baik sama sekali"
	tests := []struct {
		name     string
		outbox   int64
		reply    bot.Reply
		kind     string   // "" for numbered text
		body     string   // the interactive body
		titles   []string // of the buttons or rows
		descs    []string // of the rows
		firstIDs string
	}{
		{"two short options are two buttons with the labels", 7,
			bot.Reply{Text: "Jenis kelamin?", Options: options("Laki-laki", "Perempuan")},
			"button", "Jenis kelamin?", []string{"Laki-laki", "Perempuan"}, nil, "o:7:1"},
		{"a label too long for a button numbers every button and lists the labels in the body", 8,
			bot.Reply{Text: "Sarana?", Options: options("Ada", long)},
			"button", "Sarana?\n\n1. Ada\n2. " + long, []string{"1. Ada", "2. Ada tetapi tidak…"}, nil, "o:8:1"},
		{"two options with the same label are numbered to tell them apart", 9,
			bot.Reply{Text: "Mana?", Options: options("Sama", "Sama")},
			"button", "Mana?\n\n1. Sama\n2. Sama", []string{"1. Sama", "2. Sama"}, nil, "o:9:1"},
		{"four options are a list of numbered rows", 10,
			bot.Reply{Text: "Persyaratan?", Options: options("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")},
			"list", "Persyaratan?", []string{"1. Tidak sesuai", "2. Kurang sesuai", "3. Sesuai", "4. Sangat sesuai"}, []string{"", "", "", ""}, "o:10:1"},
		{"a row too long for its title has the full label as description", 11,
			bot.Reply{Text: "Pengaduan?", Options: options("Tidak ada", "Ada", long, "Dikelola dengan baik")},
			"list", "Pengaduan?", []string{"1. Tidak ada", "2. Ada", "3. Ada tetapi tidak ber…", "4. Dikelola dengan baik"}, []string{"", "", long, ""}, "o:11:1"},
		{"eleven options are numbered text", 12,
			bot.Reply{Text: "Mana?", Options: options("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")}, "", "", nil, nil, ""},
		{"no options are text", 13, bot.Reply{Text: "Halo"}, "", "", nil, nil, ""},
		{"a body longer than 1024 characters is numbered text", 14,
			bot.Reply{Text: strings.Repeat("x", 1025), Options: options("Ya", "Tidak")}, "", "", nil, nil, ""},
		{"outside a dispatcher, with no outbox row to name, options are numbered text", 0,
			bot.Reply{Text: "Jenis kelamin?", Options: options("Laki-laki", "Perempuan")}, "", "", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := interactive(tt.outbox, tt.reply)
			if tt.kind == "" {
				if msg != nil {
					t.Fatalf("got %v, want numbered text", msg)
				}
				return
			}
			b, _ := json.Marshal(msg["interactive"])
			var got sent
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			var titles, descs []string
			var firstID string
			for _, b := range got.Action.Buttons {
				titles = append(titles, b.Reply.Title)
				firstID = cmpOr(firstID, b.Reply.ID)
			}
			for _, s := range got.Action.Sections {
				for _, r := range s.Rows {
					titles, descs = append(titles, r.Title), append(descs, r.Description)
					firstID = cmpOr(firstID, r.ID)
				}
			}
			if got.Type != tt.kind || got.Body.Text != tt.body || strings.Join(titles, "|") != strings.Join(tt.titles, "|") ||
				strings.Join(descs, "|") != strings.Join(tt.descs, "|") || firstID != tt.firstIDs {
				t.Errorf("got %s %q %q %q first id %s\nwant %s %q %q %q first id %s", got.Type, got.Body.Text, titles, descs, firstID,
					tt.kind, tt.body, tt.titles, tt.descs, tt.firstIDs)
			}
			if tt.kind == "list" && got.Action.Button != "Pilih jawaban" {
				t.Errorf("list button %q, want Pilih jawaban", got.Action.Button)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestOptionIDsAreRead(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		outbox int64
		n      int
		ok     bool
	}{
		{"an id we gave is read", "o:42:3", 42, 3, true},
		{"an id without the prefix is refused", "42:3", 0, 0, false},
		{"an id without an option is refused", "o:42", 0, 0, false},
		{"an id with option zero is refused", "o:42:0", 0, 0, false},
		{"an id with a word is refused", "o:x:1", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outbox, n, ok := parseOptionID(tt.id)
			if outbox != tt.outbox || n != tt.n || ok != tt.ok {
				t.Errorf("got %d %d %v, want %d %d %v", outbox, n, ok, tt.outbox, tt.n, tt.ok)
			}
		})
	}
}
