package wacloudtest

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// interactive is an interactive message as the Graph API takes it; message checks the limits
// Meta enforces, so that a message the real API would refuse fails here too.
type interactive struct {
	Type string `json:"type"`
	Body struct {
		Text string `json:"text"`
	} `json:"body"`
	Action struct {
		Buttons []struct {
			Type  string `json:"type"`
			Reply struct {
				ID    string `json:"id"`
				Title string `json:"title"`
			} `json:"reply"`
		} `json:"buttons"`
		Button   string `json:"button"`
		Sections []struct {
			Title string `json:"title"`
			Rows  []struct {
				ID          string `json:"id"`
				Title       string `json:"title"`
				Description string `json:"description"`
			} `json:"rows"`
		} `json:"sections"`
	} `json:"action"`
}

func (in *interactive) message() (Message, error) {
	if in == nil {
		return Message{}, errors.New("no interactive object")
	}
	if n := utf8.RuneCountInString(in.Body.Text); n == 0 || n > 1024 {
		return Message{}, fmt.Errorf("body of %d characters, want 1 to 1024", n)
	}
	msg := Message{Text: in.Body.Text, Interactive: in.Type}
	titles := map[string]bool{}
	add := func(c Choice, maxTitle, maxDesc int) error {
		if n := utf8.RuneCountInString(c.Title); n == 0 || n > maxTitle {
			return fmt.Errorf("title %q of %d characters, want 1 to %d", c.Title, n, maxTitle)
		}
		if n := utf8.RuneCountInString(c.Description); n > maxDesc {
			return fmt.Errorf("description %q of %d characters, want at most %d", c.Description, n, maxDesc)
		}
		if c.ID == "" || len(c.ID) > 200 || titles[c.Title] {
			return fmt.Errorf("choice %+v has no id, a long one, or a title already used", c)
		}
		titles[c.Title] = true
		msg.Choices = append(msg.Choices, c)
		return nil
	}
	switch in.Type {
	case "button":
		if n := len(in.Action.Buttons); n == 0 || n > 3 {
			return Message{}, fmt.Errorf("%d buttons, want 1 to 3", n)
		}
		for _, b := range in.Action.Buttons {
			if b.Type != "reply" {
				return Message{}, fmt.Errorf("button type %q, want reply", b.Type)
			}
			if err := add(Choice{ID: b.Reply.ID, Title: b.Reply.Title}, 20, 0); err != nil {
				return Message{}, err
			}
		}
	case "list":
		msg.ListButton = in.Action.Button
		if n := utf8.RuneCountInString(in.Action.Button); n == 0 || n > 20 {
			return Message{}, fmt.Errorf("list button %q, want 1 to 20 characters", in.Action.Button)
		}
		if n := len(in.Action.Sections); n == 0 || n > 10 || (n > 1 && in.Action.Sections[0].Title == "") {
			return Message{}, fmt.Errorf("%d sections, want 1 to 10, titled if more than one", n)
		}
		for _, s := range in.Action.Sections {
			for _, r := range s.Rows {
				if err := add(Choice{ID: r.ID, Title: r.Title, Description: r.Description}, 24, 72); err != nil {
					return Message{}, err
				}
			}
		}
		if n := len(msg.Choices); n == 0 || n > 10 {
			return Message{}, fmt.Errorf("%d rows, want 1 to 10", n)
		}
	default:
		return Message{}, fmt.Errorf("interactive type %q, want button or list", in.Type)
	}
	return msg, nil
}

// template is a template message as the Graph API takes it.
type template struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []struct {
		Type       string `json:"type"`
		Parameters []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"parameters"`
	} `json:"components"`
}

func (t *template) message() (Message, error) {
	if t == nil || t.Name == "" || t.Language.Code == "" {
		return Message{}, errors.New("a template needs a name and a language code")
	}
	tpl := &Template{Name: t.Name, Language: t.Language.Code}
	for _, c := range t.Components {
		if c.Type != "body" {
			return Message{}, fmt.Errorf("component %q: the fake knows only body parameters", c.Type)
		}
		for _, p := range c.Parameters {
			tpl.Params = append(tpl.Params, p.Text)
		}
	}
	return Message{Template: tpl}, nil
}

// ButtonReply is an incoming press of the reply button with the given id and title.
func ButtonReply(from, id, buttonID, title string) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": fmt.Sprint(time.Now().Unix()), "type": "interactive",
		"interactive": map[string]any{"type": "button_reply", "button_reply": map[string]any{"id": buttonID, "title": title}}}
}

// ListReply is an incoming choice of the list row with the given id and title.
func ListReply(from, id, rowID, title string) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": fmt.Sprint(time.Now().Unix()), "type": "interactive",
		"interactive": map[string]any{"type": "list_reply", "list_reply": map[string]any{"id": rowID, "title": title}}}
}

// Choose is the incoming answer of choosing option n (1-based) of an interactive message
// sent earlier: a button press or a list row, as that message offered.
func Choose(from, id string, sent Message, n int) map[string]any {
	c := sent.Choices[n-1]
	if sent.Interactive == "list" {
		return ListReply(from, id, c.ID, c.Title)
	}
	return ButtonReply(from, id, c.ID, c.Title)
}
