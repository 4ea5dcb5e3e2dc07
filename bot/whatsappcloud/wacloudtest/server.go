// Package wacloudtest is a fake of the WhatsApp Cloud API (the Graph API's messages and media
// endpoints) for tests, and builders of the webhook payloads Meta posts.
package wacloudtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Message is one message the adapter sent.
type Message struct {
	To      string
	Type    string // text, image, interactive or template
	Text    string // the text's body, the image's caption, or the interactive message's body
	MediaID string // the image's media id
	// Interactive is "button" (reply buttons) or "list"; Choices are its buttons or rows, and
	// ListButton the text of the button that opens a list.
	Interactive string
	Choices     []Choice
	ListButton  string
	// Template is the template sent, with its body parameters.
	Template *Template
}

// Choice is a reply button or a list row.
type Choice struct {
	ID, Title, Description string
}

// Template is a template message: its name, language code and body parameters.
type Template struct {
	Name, Language string
	Params         []string
}

// Failure is an error answer the server gives to the next Times message requests.
type Failure struct {
	Status     int
	Code       int
	RetryAfter string
	Times      int
}

// Server is the fake Graph API for one phone number id and access token.
type Server struct {
	*httptest.Server
	PhoneNumberID, Token string

	mu       sync.Mutex
	sent     []Message
	uploads  [][]byte
	failures []Failure
	n        int
}

// New starts a fake Graph API; close it with Close.
func New(phoneNumberID, token string) *Server {
	s := &Server{PhoneNumberID: phoneNumberID, Token: token}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v21.0/{id}/messages", s.messages)
	mux.HandleFunc("POST /v21.0/{id}/media", s.media)
	s.Server = httptest.NewServer(mux)
	return s
}

// Endpoint is the base URL to give the adapter (SUKMA_WHATSAPP_CLOUD_API_ENDPOINT).
func (s *Server) Endpoint() string { return s.URL + "/v21.0" }

// Sent returns every message sent so far, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent...)
}

// Uploads returns the bodies of every uploaded file.
func (s *Server) Uploads() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.uploads...)
}

// Fail makes the next f.Times message requests fail with f.
func (s *Server) Fail(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f)
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+s.Token || r.PathValue("id") != s.PhoneNumberID {
		writeError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token")
		return false
	}
	return true
}

func (s *Server) messages(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	var m struct {
		Product string `json:"messaging_product"`
		To      string `json:"to"`
		Type    string `json:"type"`
		Text    struct {
			Body string `json:"body"`
		} `json:"text"`
		Image struct {
			ID      string `json:"id"`
			Caption string `json:"caption"`
		} `json:"image"`
		Interactive *interactive `json:"interactive"`
		Template    *template    `json:"template"`
	}
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.Product != "whatsapp" || m.To == "" {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter")
		return
	}
	var msg Message
	var err error
	switch m.Type {
	case "text":
		msg.Text = m.Text.Body
		if n := utf8.RuneCountInString(msg.Text); n == 0 || n > 4096 {
			err = fmt.Errorf("text body of %d characters, want 1 to 4096", n)
		}
	case "image":
		msg.Text, msg.MediaID = m.Image.Caption, m.Image.ID
	case "interactive":
		msg, err = m.Interactive.message()
	case "template":
		msg, err = m.Template.message()
	default:
		err = fmt.Errorf("unknown type %q", m.Type)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter: "+err.Error())
		return
	}
	msg.To, msg.Type = m.To, m.Type
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) > 0 {
		f := &s.failures[0]
		if f.Times--; f.Times <= 0 {
			s.failures = s.failures[1:]
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, f.Status, f.Code, "failure for the test")
		return
	}
	s.sent = append(s.sent, msg)
	s.n++
	fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.out%d"}]}`, m.To, m.To, s.n)
}

func (s *Server) media(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	f, h, err := r.FormFile("file")
	if err != nil || r.FormValue("messaging_product") != "whatsapp" || !strings.HasPrefix(h.Header.Get("Content-Type"), "image/") {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter")
		return
	}
	b, _ := io.ReadAll(f)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uploads = append(s.uploads, b)
	fmt.Fprintf(w, `{"id":"media%d"}`, len(s.uploads))
}

func writeError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":"OAuthException","code":%d,"fbtrace_id":"Atest"}}`, message, code)
}

// Payload is a webhook POST body with the given messages and statuses for phoneNumberID.
func Payload(phoneNumberID string, messages []map[string]any, statuses ...map[string]any) []byte {
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]any{"display_phone_number": "15550001111", "phone_number_id": phoneNumberID},
	}
	if len(messages) > 0 {
		value["messages"] = messages
		value["contacts"] = []map[string]any{{"profile": map[string]any{"name": "Warga"}, "wa_id": messages[0]["from"]}}
	}
	if len(statuses) > 0 {
		value["statuses"] = statuses
	}
	b, _ := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry":  []any{map[string]any{"id": "WABA1", "changes": []any{map[string]any{"field": "messages", "value": value}}}},
	})
	return b
}

// Text is an incoming text message.
func Text(from, id, body string) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": fmt.Sprint(time.Now().Unix()), "type": "text", "text": map[string]any{"body": body}}
}

// Sticker is an incoming sticker.
func Sticker(from, id string) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": fmt.Sprint(time.Now().Unix()), "type": "sticker",
		"sticker": map[string]any{"mime_type": "image/webp", "sha256": "abc", "id": "st1", "animated": false}}
}
