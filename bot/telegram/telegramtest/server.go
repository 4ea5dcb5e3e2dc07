// Package telegramtest is a fake Telegram Bot API server for tests (and the load tool): it
// serves getUpdates from a queue, records sent messages, button answers and keyboard edits,
// answers getMe, setMyCommands, setWebhook and deleteWebhook, and can be told to fail a method
// with 429, 403 or 500.
package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is a message the bot sent.
type Message struct {
	ChatID    int64
	MessageID int
	Text      string // the text, or a photo's caption
	Buttons   []Button
	Photo     []byte // a sent photo's bytes
}

// Button is an inline keyboard button.
type Button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// Server is the fake Bot API. Its zero value is not usable; call New.
type Server struct {
	*httptest.Server
	Token    string
	Username string
	// OnSend, if set before the first call, is given each message sent (sendMessage,
	// sendPhoto) as it is recorded, numbered: the load tool hands it to its citizen.
	OnSend func(Message)

	mu        sync.Mutex
	pending   []json.RawMessage // updates not yet confirmed, in order
	ids       []int
	nextID    int
	confirmed int // every update below this id is confirmed
	nextMsg   int
	sent      []Message
	answers   []string       // texts of answerCallbackQuery, in order
	edits     []int          // message ids whose keyboard was edited
	edited    map[int]string // message id → its text as last edited (editMessageText)
	calls     map[string]int
	failures  map[string][]failure
	webhook   map[string]string
	commands  map[string]string // by language_code, "" for everyone
}

type failure struct{ code, retryAfter int }

// New starts a fake Bot API for a token; it stops when the test's cleanup closes it.
func New(token string) *Server {
	s := &Server{Token: token, Username: "SukmaTestBot", nextID: 100, nextMsg: 1000, calls: map[string]int{}, failures: map[string][]failure{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the URL template to give the bot (SUKMA_TELEGRAM_API_ENDPOINT).
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// Fail makes the next times calls of method fail with code (429 with retryAfter seconds).
func (s *Server) Fail(method string, code, retryAfter, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range times {
		s.failures[method] = append(s.failures[method], failure{code, retryAfter})
	}
}

// Push queues an update (the update_id is set, and a new message's number: see Number) and
// returns its id.
func (s *Server) Push(update map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.number(update)
	s.nextID++
	update["update_id"] = s.nextID
	b, _ := json.Marshal(update)
	s.pending = append(s.pending, b)
	s.ids = append(s.ids, s.nextID)
	return s.nextID
}

// Number gives an update's new message its message_id, unless it has one, from the sequence
// the server numbers the messages it sends from, as Telegram numbers a private chat's
// messages in order, the bot's and the citizen's alike (here one sequence for all chats: each
// chat's messages still come in order). Push numbers what it queues; an update posted to a
// webhook is numbered with this. It returns the number.
func (s *Server) Number(update map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.number(update)
}

func (s *Server) number(update map[string]any) int {
	m, ok := update["message"].(map[string]any)
	if !ok {
		return 0
	}
	if n, ok := m["message_id"].(int); ok && n > 0 {
		return n
	}
	s.nextMsg++
	m["message_id"] = s.nextMsg
	return s.nextMsg
}

// Redeliver queues an update again with the same id, as Telegram does when the bot did not
// confirm it; the update is rebuilt from the given body.
func (s *Server) Redeliver(id int, update map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	update["update_id"] = id
	b, _ := json.Marshal(update)
	s.pending = append(s.pending, b)
	s.ids = append(s.ids, id)
	s.confirmed = min(s.confirmed, id)
}

func from(chat int64) map[string]any {
	return map[string]any{"id": chat, "is_bot": false, "first_name": "Warga"}
}

// TextUpdate is a text message from a private chat (the user id equals the chat id), not
// numbered yet (see Number).
func TextUpdate(chat int64, text string) map[string]any {
	return map[string]any{"message": map[string]any{"date": time.Now().Unix(), "from": from(chat), "chat": map[string]any{"id": chat, "type": "private"}, "text": text}}
}

// EditedUpdate is an edit, to text, of the citizen's message number id, first sent sent
// seconds ago.
func EditedUpdate(chat int64, id int, text string, sent int64) map[string]any {
	now := time.Now().Unix()
	return map[string]any{"edited_message": map[string]any{"message_id": id, "date": now - sent, "edit_date": now,
		"from": from(chat), "chat": map[string]any{"id": chat, "type": "private"}, "text": text}}
}

// PhotoUpdate is a photo from a private chat, with a caption unless caption is "", not
// numbered yet.
func PhotoUpdate(chat int64, caption string) map[string]any {
	m := map[string]any{"date": time.Now().Unix(), "from": from(chat), "chat": map[string]any{"id": chat, "type": "private"},
		"photo": []map[string]any{{"file_id": "p1", "file_unique_id": "p1", "width": 1280, "height": 960}}}
	if caption != "" {
		m["caption"] = caption
	}
	return map[string]any{"message": m}
}

// ReplyUpdate is a text message from a private chat that replies to (quotes) a message the
// bot sent, not numbered yet.
func ReplyUpdate(chat int64, text string, to Message) map[string]any {
	u := TextUpdate(chat, text)
	u["message"].(map[string]any)["reply_to_message"] = map[string]any{"message_id": to.MessageID, "date": time.Now().Unix(),
		"from": map[string]any{"id": 1, "is_bot": true, "first_name": "Sukma"}, "chat": map[string]any{"id": chat, "type": "private"}, "text": to.Text}
	return u
}

// StickerUpdate is a sticker (no text) from a private chat, not numbered yet.
func StickerUpdate(chat int64) map[string]any {
	return map[string]any{"message": map[string]any{"date": time.Now().Unix(), "from": from(chat), "chat": map[string]any{"id": chat, "type": "private"},
		"sticker": map[string]any{"file_id": "s1", "file_unique_id": "s1", "width": 512, "height": 512, "is_animated": false}}}
}

// ButtonUpdate is a press on a button of a message the bot sent.
func ButtonUpdate(m Message, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprint("cq", m.MessageID, data), "from": from(m.ChatID), "chat_instance": "ci", "data": data,
		"message": map[string]any{"message_id": m.MessageID, "date": time.Now().Unix(), "chat": map[string]any{"id": m.ChatID, "type": "private"}, "text": m.Text,
			"reply_markup": keyboardOf(m.Buttons)}}}
}

// keyboardOf is the inline keyboard of a sent message, one button a row, as Telegram gives it
// back in a button press's message.
func keyboardOf(buttons []Button) map[string]any {
	rows := make([][]Button, len(buttons))
	for i, b := range buttons {
		rows[i] = []Button{b}
	}
	return map[string]any{"inline_keyboard": rows}
}

// Confirmed reports whether the bot has confirmed an update (asked for updates after it).
func (s *Server) Confirmed(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed > id
}

// Sent returns the messages sent so far, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// Answers returns the texts of answered button presses ("" for a plain acknowledgement).
func (s *Server) Answers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.answers)
}

// EditedText returns the text a message was last edited to (editMessageText), or "".
func (s *Server) EditedText(id int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.edited[id]
}

// Edits returns the ids of messages whose keyboard was removed or changed.
func (s *Server) Edits() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.edits)
}

// Webhook returns the parameters of the last setWebhook.
func (s *Server) Webhook() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Commands returns the last command menu set for every language, as the JSON the bot sent.
func (s *Server) Commands() string { return s.CommandsIn("") }

// CommandsIn returns the last command menu set for users of a language (language_code).
func (s *Server) CommandsIn(language string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[language]
}

// Calls returns how many times a method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || token != s.Token {
		reply(w, 401, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		form, err := jsonForm(r.Body)
		if err != nil {
			reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
			return
		}
		r.Form = form
	} else if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(20 << 20); err != nil {
			reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
			return
		}
	} else if err := r.ParseForm(); err != nil {
		reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	s.mu.Lock()
	s.calls[method]++
	if fs := s.failures[method]; len(fs) > 0 {
		f := fs[0]
		s.failures[method] = fs[1:]
		s.mu.Unlock()
		body := map[string]any{"ok": false, "error_code": f.code, "description": http.StatusText(f.code)}
		switch f.code {
		case 429:
			body["description"] = fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter)
			body["parameters"] = map[string]any{"retry_after": f.retryAfter}
		case 403:
			body["description"] = "Forbidden: bot was blocked by the user"
		case 400:
			body["description"] = "Bad Request: chat not found"
		}
		reply(w, f.code, body)
		return
	}
	s.mu.Unlock()
	switch method {
	case "getUpdates":
		s.getUpdates(w, r)
	case "getMe":
		ok200(w, map[string]any{"id": 1, "is_bot": true, "first_name": "Sukma", "username": s.Username})
	case "sendMessage":
		s.sendMessage(w, r)
	case "sendPhoto":
		s.sendPhoto(w, r)
	case "answerCallbackQuery":
		s.mu.Lock()
		s.answers = append(s.answers, r.Form.Get("text"))
		s.mu.Unlock()
		ok200(w, true)
	case "editMessageReplyMarkup", "editMessageText":
		id, _ := strconv.Atoi(r.Form.Get("message_id"))
		s.mu.Lock()
		s.edits = append(s.edits, id)
		if method == "editMessageText" {
			if s.edited == nil {
				s.edited = map[int]string{}
			}
			s.edited[id] = r.Form.Get("text")
		}
		s.mu.Unlock()
		ok200(w, true)
	case "setWebhook", "deleteWebhook", "setMyCommands":
		s.mu.Lock()
		if method == "setWebhook" {
			s.webhook = map[string]string{}
			for k := range r.Form {
				s.webhook[k] = r.Form.Get(k)
			}
		}
		if method == "setMyCommands" {
			if s.commands == nil {
				s.commands = map[string]string{}
			}
			s.commands[r.Form.Get("language_code")] = r.Form.Get("commands")
		}
		s.mu.Unlock()
		ok200(w, true)
	default:
		reply(w, 404, map[string]any{"ok": false, "error_code": 404, "description": "Not Found: method not found"})
	}
}

// WebhookReply makes the call a bot put in its response to a webhook POST, as Telegram does
// (https://core.telegram.org/bots/api#making-requests-when-getting-updates): a JSON object
// whose "method" names the method, the other fields its parameters. An empty body is no call.
// It returns an error if the body is not such an object or the call fails.
func (s *Server) WebhookReply(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var call struct {
		Method string `json:"method"`
	}
	if err := json.Unmarshal(body, &call); err != nil || call.Method == "" {
		return fmt.Errorf("telegramtest: a webhook response %q is not a method call", body)
	}
	r := httptest.NewRequest("POST", "/bot"+s.Token+"/"+call.Method, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.serve(w, r)
	if w.Code != 200 {
		return fmt.Errorf("telegramtest: the webhook response's %s failed: %d %s", call.Method, w.Code, w.Body)
	}
	return nil
}

// jsonForm reads a JSON object as the form Telegram makes of it: strings as they are, other
// values (numbers, objects such as reply_markup) as their JSON.
func jsonForm(body io.Reader) (url.Values, error) {
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&fields); err != nil {
		return nil, err
	}
	form := url.Values{}
	for k, v := range fields {
		var str string
		if json.Unmarshal(v, &str) == nil {
			form.Set(k, str)
		} else {
			form.Set(k, string(v))
		}
	}
	return form, nil
}

// getUpdates confirms every update below offset and returns the rest, waiting up to timeout
// seconds for one to arrive.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	deadline := time.Now().Add(time.Duration(timeout) * time.Second)
	for {
		s.mu.Lock()
		s.confirmed = max(s.confirmed, offset)
		var out []json.RawMessage
		var keepU []json.RawMessage
		var keepID []int
		for i, id := range s.ids {
			if id >= offset {
				out = append(out, s.pending[i])
				keepU, keepID = append(keepU, s.pending[i]), append(keepID, id)
			}
		}
		s.pending, s.ids = keepU, keepID
		s.mu.Unlock()
		if len(out) > 0 || !time.Now().Before(deadline) || r.Context().Err() != nil {
			if out == nil {
				out = []json.RawMessage{}
			}
			ok200(w, out)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	chat, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	text := r.Form.Get("text")
	if err != nil || text == "" {
		reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: message text is empty"})
		return
	}
	if utf16Len(text) > 4096 {
		reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: message is too long"})
		return
	}
	m := Message{ChatID: chat, Text: text}
	if markup := r.Form.Get("reply_markup"); markup != "" {
		var kb struct {
			InlineKeyboard [][]Button `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(markup), &kb); err != nil {
			reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: can't parse reply keyboard markup JSON object"})
			return
		}
		for _, row := range kb.InlineKeyboard {
			m.Buttons = append(m.Buttons, row...)
		}
	}
	s.mu.Lock()
	s.nextMsg++
	m.MessageID = s.nextMsg
	s.record(m)
	ok200(w, map[string]any{"message_id": m.MessageID, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}, "text": text})
}

// sendPhoto records an uploaded photo with its caption and keyboard.
func (s *Server) sendPhoto(w http.ResponseWriter, r *http.Request) {
	chat, err := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	file, _, ferr := r.FormFile("photo")
	if err != nil || ferr != nil {
		reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: there is no photo in the request"})
		return
	}
	defer file.Close()
	photo, _ := io.ReadAll(file)
	if n := utf16Len(r.FormValue("caption")); n > 1024 {
		reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: message caption is too long"})
		return
	}
	m := Message{ChatID: chat, Text: r.FormValue("caption"), Photo: photo}
	s.mu.Lock()
	s.nextMsg++
	m.MessageID = s.nextMsg
	s.record(m)
	ok200(w, map[string]any{"message_id": m.MessageID, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}, "caption": m.Text})
}

// record appends a sent message numbered under s.mu, which it releases, and gives it to OnSend.
func (s *Server) record(m Message) {
	s.sent = append(s.sent, m)
	s.mu.Unlock()
	if s.OnSend != nil {
		s.OnSend(m)
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func ok200(w http.ResponseWriter, result any) {
	reply(w, 200, map[string]any{"ok": true, "result": result})
}

func reply(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}
