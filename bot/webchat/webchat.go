// Package webchat is the web channel: a small chat page at /s/{token} and its JSON
// endpoints, backed by the same engine as the messaging channels. It needs no bot token, so
// Sukma works out of the box, and it is the flow editor's preview.
package webchat

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"unicode"

	"sukma/bot"
)

// Engine is the part of bot.Engine the web chat uses.
type Engine interface {
	Start(ctx context.Context, in bot.Inbound, token string) ([]bot.Reply, error)
	Open(ctx context.Context, in bot.Inbound, token string) ([]bot.Reply, error)
	Transcript(ctx context.Context, channel, chatID string) ([]bot.Reply, error)
	Ended(ctx context.Context, in bot.Inbound, token string) (bool, error)
}

//go:embed assets
var assets embed.FS

var (
	page         = template.Must(template.ParseFS(assets, "assets/chat.html"))
	notFoundPage = template.Must(template.ParseFS(assets, "assets/notfound.html"))
)

// validToken is the shape of visit tokens; anything else is not a survey link.
var validToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// maxBody bounds a posted message; the engine re-prompts anything longer than a question allows.
const maxBody = 64 << 10

// Handler serves the web chat.
type Handler struct {
	Engine Engine
	Logger *slog.Logger
	// ClientIP is the address of a request's client, behind the trusted proxies; nil means
	// the connection's own. The engine bounds the surveys one address starts on a standing
	// link (bot.StartLimit).
	ClientIP func(*http.Request) string
	mux      *http.ServeMux
	standing *standingLinks
}

// New returns the web chat handler for the routes under /s/ and /chat-assets/.
func New(e Engine, logger *slog.Logger) *Handler {
	h := &Handler{Engine: e, Logger: logger, mux: http.NewServeMux(), standing: standingLinksOf(e)}
	h.mux.HandleFunc("GET /s/{token}", h.page)
	h.mux.HandleFunc("GET /s/{token}/{$}", h.withoutSlash)
	h.mux.HandleFunc("GET /s/{token}/messages", h.messages)
	// Go's mux sends HEAD to the GET route, whose answer starts the survey: a HEAD (a link
	// checker, a chat app's link preview) gets its own, which only says what GET would.
	h.mux.HandleFunc("HEAD /s/{token}/messages", h.head)
	h.mux.HandleFunc("POST /s/{token}/messages", h.post)
	h.mux.HandleFunc("GET /chat-assets/{file}", h.asset)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if handler, pattern := h.mux.Handler(r); pattern == "" {
		notRouted(w, r, handler) // the mux's own 404 and 405 are plain text
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !validToken.MatchString(token) {
		h.unknownLink(w, r, token, "")
		return
	}
	if _, ok := browserID(r); !ok { // none yet, or one that is not ours: a fresh one
		http.SetCookie(w, &http.Cookie{
			// No Path: the browser takes the page's folder, …/s, which is /s at the root and
			// /skm/s under a proxy's path /skm.
			Name: browserCookie, Value: newBrowserID(), MaxAge: 400 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
		})
	}
	pageHeaders(w)
	if err := page.Execute(w, struct{ Token string }{token}); err != nil {
		h.Logger.Warn("web chat page", slog.Any("err", err))
	}
}

func pageHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; base-uri 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// The page's address is the survey link: a link followed from it must not carry it.
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// unknownLink answers a survey link whose token is not one, up being the way from the
// request's folder to /s/ ("" or "../"). A token with punctuation after it (a link copied
// from a message with its full stop or closing bracket) goes to the token's page; any other
// gets a page like the chat's saying the link is unknown.
func (h *Handler) unknownLink(w http.ResponseWriter, r *http.Request, token, up string) {
	if clean := strings.TrimRightFunc(token, trailing); clean != token && validToken.MatchString(clean) {
		redirect(w, r, up+clean)
		return
	}
	pageHeaders(w)
	w.WriteHeader(http.StatusNotFound)
	if err := notFoundPage.Execute(w, struct{ Assets string }{up + "../"}); err != nil {
		h.Logger.Warn("web chat page", slog.Any("err", err))
	}
}

// trailing reports whether r is punctuation or space that a link copied from a sentence
// may carry after it.
func trailing(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(`.,;:!?)]}>'"`+"…”’»）。，", r)
}

func (h *Handler) asset(w http.ResponseWriter, r *http.Request) {
	switch name := r.PathValue("file"); name {
	case "chat.js", "chat.css":
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeFileFS(w, r, assets, "assets/"+name)
	default:
		http.NotFound(w, r)
	}
}

// repliesJSON is the answer of both message endpoints: {"replies":[…]}, and "ended":true
// once the chat is over (see bot.Engine.Ended), when the page shows no input bar. In the
// replies of GET, a question the citizen has answered carries "answer", and a question with
// no options or one that may be skipped says how it is answered (see bot.Reply).
type repliesJSON struct {
	Replies []bot.Reply `json:"replies"`
	Ended   bool        `json:"ended,omitempty"`
}

// withoutSlash sends a survey link that got a slash at its end (a QR scanner, a chat app)
// to the page without it: the page's links are relative to it.
func (h *Handler) withoutSlash(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !validToken.MatchString(token) {
		h.unknownLink(w, r, token, "../")
		return
	}
	redirect(w, r, "../"+token)
}

// redirect sends the browser to target, a path relative to the request's, with the request's
// query. The Location stays relative (http.Redirect would make it absolute from the path
// Sukma sees), so that it is the same under a proxy's path.
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
}

// messages returns every bot message of the chat so far, starting the survey on first sight,
// and again when the page is opened after the survey was cancelled (see bot.Engine.Open).
func (h *Handler) messages(w http.ResponseWriter, r *http.Request) {
	token, ok := h.token(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	in := h.inbound(r, token, "")
	replies, err := h.Engine.Transcript(ctx, bot.ChannelWeb, in.ChatID)
	if err != nil {
		h.reply(w, r, in, token, nil, err)
		return
	}
	again := len(replies) > 0 // the page opened again on a chat
	if !again {
		replies, err = h.Engine.Start(ctx, in, token)
	} else {
		var more []bot.Reply
		if more, err = h.Engine.Open(ctx, in, token); err == nil && len(more) > 0 {
			// Open wrote more (a survey started again, or taken over from another browser,
			// whose answers the transcript then shows): read again, the transcript has them.
			replies, err = h.Engine.Transcript(ctx, bot.ChannelWeb, in.ChatID)
		}
	}
	var ended bool
	if err == nil {
		ended, err = h.over(ctx, in, token, replies)
	}
	if err == nil && ended && again {
		var why []bot.Reply
		if why, err = h.why(ctx, in, token, replies); len(why) > 0 {
			replies = append(replies, why...)
			ended = why[len(why)-1].Question == "" // else a survey started after all
		}
	}
	h.answer(w, r, in, replies, ended, err)
}

// why returns what a message in the chat of survey link token would hear, for the page
// opened again on the chat, which is over: on a unit's standing link, that the citizen rated
// the unit today and may again tomorrow. The engine tells a message why no survey starts,
// not a page opened again (bot.Engine.Open does not repeat a refusal at every look), and the
// transcript ends with the old survey, or its thanks, which do not say so. It is asked as a
// message with an event id, once a day in the chat: stored, the transcript has it at every
// look that day. (A retired unit's refusal is not stored, so it is asked at every look; a
// visit's chat that is over ends with what closed it: the thanks, the expiry notice, a
// refusal.)
func (h *Handler) why(ctx context.Context, in bot.Inbound, token string, replies []bot.Reply) ([]bot.Reply, error) {
	if h.standing == nil {
		return nil, nil
	}
	unit, ok, err := h.standing.unit(ctx, token)
	if err != nil || !ok {
		return nil, err
	}
	if unit.RetiredAt == nil {
		in.EventID = in.ChatID + ":why:" + h.standing.today()
	}
	for i := len(replies) - 1; i >= 0; i-- {
		if lang := replies[i].Language; lang != "" {
			if lang != "id" {
				in.Text = "/bahasa " + lang // told in the survey's language
			}
			break
		}
	}
	return h.Engine.Start(ctx, in, token)
}

// head answers a HEAD on the messages with GET's status and headers, and does nothing: it
// neither starts the survey nor writes to the chat. (The page itself starts nothing; its
// HEAD is GET's without the body, done by net/http.)
func (h *Handler) head(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.token(w, r); !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// post takes one message of the citizen and returns the bot's new messages.
func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	token, ok := h.token(w, r)
	if !ok {
		return
	}
	var body struct {
		Text string `json:"text"`
		// ID, optional, makes a retried POST count once.
		ID string `json:"id"`
		// Question, optional, is the "question" of the last reply the page shows: a text
		// meant for it is not stored as the answer to a later one (see bot.Inbound).
		Question string `json:"question"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if len(body.ID) > 64 || len(body.Question) > 64 {
		sayError(w, http.StatusBadRequest, "id dan question paling banyak 64 karakter", "id and question must be at most 64 characters")
		return
	}
	in := h.inbound(r, token, body.Text)
	in.Question = body.Question
	if body.ID != "" {
		in.EventID = token + ":" + body.ID
	}
	// Start handles the message in the survey open in the chat, or, with none (the first
	// message, or one after the survey ended), starts the link's survey again if it may.
	replies, err := h.Engine.Start(r.Context(), in, token)
	if err == nil && len(replies) == 0 && in.EventID != "" {
		// A retry of a message already processed: its answer was lost on the way,
		// so show again where the conversation stands.
		if replies, err = h.Engine.Transcript(r.Context(), bot.ChannelWeb, in.ChatID); err == nil && len(replies) > 0 {
			replies = replies[len(replies)-1:]
		}
	}
	h.reply(w, r, in, token, replies, err)
}

// inbound is a web message. The chat is the survey link in this browser; the user is the
// browser (its cookie), or the link itself for a client without cookies.
func (h *Handler) inbound(r *http.Request, token, text string) bot.Inbound {
	user := token
	if id, ok := browserID(r); ok {
		user = id
	}
	return bot.Inbound{Channel: bot.ChannelWeb, ChatID: chatID(r, token), UserID: user, Text: text, Client: h.clientIP(r)}
}

func (h *Handler) clientIP(r *http.Request) string {
	if h.ClientIP != nil {
		return h.ClientIP(r)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// browserCookie identifies a browser, so that walk-in visitors on a unit's standing link each
// have a chat of their own, and the one-a-day rule knows them again.
const browserCookie = "sukma_browser"

var validBrowserID = regexp.MustCompile(`^[A-Za-z0-9_-]{16,32}$`)

func newBrowserID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func browserID(r *http.Request) (string, bool) {
	c, err := r.Cookie(browserCookie)
	if err != nil || !validBrowserID.MatchString(c.Value) {
		return "", false
	}
	return c.Value, true
}

// chatID is the web chat of a survey link in one browser.
func chatID(r *http.Request, token string) string {
	if id, ok := browserID(r); ok {
		return token + "." + id
	}
	return token
}

func (h *Handler) token(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.PathValue("token")
	if !validToken.MatchString(token) {
		sayError(w, http.StatusNotFound, "Tautan survei tidak dikenal: pindai lagi kode QR di loket", "unknown survey link")
		return "", false
	}
	return token, true
}

// reply answers with the replies of the chat in of survey link token, or says what went wrong.
func (h *Handler) reply(w http.ResponseWriter, r *http.Request, in bot.Inbound, token string, replies []bot.Reply, err error) {
	var ended bool
	if err == nil {
		ended, err = h.over(r.Context(), in, token, replies)
	}
	h.answer(w, r, in, replies, ended, err)
}

// over reports whether the chat in of survey link token, whose replies end with replies, is
// over (see bot.Engine.Ended).
func (h *Handler) over(ctx context.Context, in bot.Inbound, token string, replies []bot.Reply) (bool, error) {
	if len(replies) > 0 && replies[len(replies)-1].Question != "" {
		return false, nil // a chat that ends with a question has a survey under way
	}
	return h.Engine.Ended(ctx, in, token)
}

// answer writes the replies of chat in, and whether it is over, or what went wrong.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, in bot.Inbound, replies []bot.Reply, ended bool, err error) {
	if errors.Is(err, bot.ErrUnreadable) {
		sayError(w, http.StatusBadRequest, "id dan question harus teks UTF-8 tanpa karakter NUL", "id and question must be UTF-8 text without NUL characters")
		return
	}
	if err != nil {
		h.Logger.Error("web chat", slog.Any("err", err))
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Maaf, terjadi gangguan. Silakan coba lagi sebentar lagi."})
		return
	}
	writeJSON(w, http.StatusOK, repliesJSON{replies, ended})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
