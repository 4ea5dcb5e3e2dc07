package main

import (
	"net"
	"net/http"
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
	f.OnSend = f.deliver
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

// serve hands the request to telegramtest, noting when the server is ready.
func (f *loadFake) serve(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if method == "getUpdates" || method == "setWebhook" {
		f.once.Do(func() { close(f.ready) })
	}
	f.Server.Config.Handler.ServeHTTP(w, r)
}

// deliver passes a message telegramtest recorded as sent to the citizen of its chat.
func (f *loadFake) deliver(sent telegramtest.Message) {
	f.nsends.Add(1)
	m := loadReply{Text: sent.Text, MessageID: sent.MessageID, Buttons: sent.Buttons}
	f.mu.RLock()
	ch, ok := f.inbox[sent.ChatID]
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
