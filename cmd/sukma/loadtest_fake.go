package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"sukma/bot/telegram/telegramtest"
)

// loadReply is one message the bot sent to a simulated citizen.
type loadReply struct {
	Text      string
	MessageID int
	Buttons   []telegramtest.Button
}

// loadFake is the fake Telegram Bot API of the load tool: telegramtest's server, served on a
// loopback listener of the tool's own so that each sent message reaches the waiting citizen
// at once (telegramtest keeps a list, which a thousand citizens cannot poll).
type loadFake struct {
	*telegramtest.Server
	srv      *http.Server
	endpoint string
	ready    chan struct{} // closed at the server's first getUpdates or setWebhook
	once     sync.Once

	mu     sync.RWMutex
	inbox  map[int64]chan loadReply
	stray  atomic.Int64 // messages to chats no citizen owns
	nsends atomic.Int64
}

// startLoadFake serves a fake Bot API for token on addr (a loopback address).
func startLoadFake(token, addr string) (*loadFake, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	f := &loadFake{Server: telegramtest.New(token), ready: make(chan struct{}), inbox: map[int64]chan loadReply{}}
	f.endpoint = "http://" + ln.Addr().String() + "/bot%s/%s"
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve)}
	go f.srv.Serve(ln)
	return f, nil
}

func (f *loadFake) Close() {
	f.srv.Close()
	f.Server.Close()
}

// chat gives a citizen's chat its inbox.
func (f *loadFake) chat(id int64) chan loadReply {
	ch := make(chan loadReply, 256)
	f.mu.Lock()
	f.inbox[id] = ch
	f.mu.Unlock()
	return ch
}

// serve hands the request to telegramtest and then passes what it recorded as sent to the
// citizen of the chat.
func (f *loadFake) serve(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if method == "getUpdates" || method == "setWebhook" {
		f.once.Do(func() { close(f.ready) })
	}
	if method != "sendMessage" && method != "sendPhoto" {
		f.Server.Config.Handler.ServeHTTP(w, r)
		return
	}
	rec := &recorder{ResponseWriter: w}
	f.Server.Config.Handler.ServeHTTP(rec, r)
	var resp struct {
		OK     bool `json:"ok"`
		Result struct {
			MessageID int `json:"message_id"`
		} `json:"result"`
	}
	if json.Unmarshal(rec.body.Bytes(), &resp) != nil || !resp.OK {
		return
	}
	f.nsends.Add(1)
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	m := loadReply{Text: r.FormValue("text"), MessageID: resp.Result.MessageID}
	if method == "sendPhoto" {
		m.Text = r.FormValue("caption")
	}
	var kb struct {
		InlineKeyboard [][]telegramtest.Button `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(r.FormValue("reply_markup")), &kb) == nil {
		for _, row := range kb.InlineKeyboard {
			m.Buttons = append(m.Buttons, row...)
		}
	}
	f.mu.RLock()
	ch, ok := f.inbox[chat]
	f.mu.RUnlock()
	if !ok {
		f.stray.Add(1)
		return
	}
	select {
	case ch <- m:
	default:
		f.stray.Add(1) // a citizen never gets 256 messages unread: something sends in a loop
	}
}

// recorder keeps a copy of the response body.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
