// Package bot is the channel-agnostic conversation engine: an Inbound message in, the replies
// out, with the answer, the session state and the outgoing messages written in one
// transaction. Channel adapters (bot/telegram, bot/whatsapp, bot/webchat) translate platform
// events to Inbound and Replies to platform messages.
package bot

import (
	"fmt"
	"strings"
	"time"
)

// Channels. ChannelWeb answers in the HTTP response, so its replies are stored as delivered;
// its chat is a survey link in one browser, named by the bare link when the browser keeps no
// cookie (see bot/webchat).
const (
	ChannelWeb      = "web"
	ChannelTelegram = "telegram"
	ChannelWhatsApp = "whatsapp"
)

// Inbound is one message from a citizen, as the engine sees it on every channel.
type Inbound struct {
	Channel string // ChannelWeb, ChannelTelegram, ChannelWhatsApp
	ChatID  string // where replies go
	UserID  string // who wrote; stored only as a pseudonym
	Text    string
	// Edited means the message is an edit of one sent before (Telegram's edited_message): it
	// is not read, since its first version was answered already; the citizen is told so, and
	// how to change an answer.
	Edited bool
	// Media means the message is not plain text (a photo, voice note, sticker, file): only
	// its caption, if any, is read, as Text. One with no text gets a re-prompt that says
	// only text (or a button) is read.
	Media bool
	// Option is the 1-based number of a chosen option (a pressed button); 0 if none.
	Option int
	// Skip means a pressed button that skips the question (see Reply.Skip): it answers as the
	// question's skip word typed in the survey's language would, checked as a pressed button
	// (Button) is. A question that may not be skipped is asked again, as for an option it
	// does not have.
	Skip bool
	// Button is the outbox id of the message whose button was pressed, if the channel knows
	// it: the option (or the skip) is taken only if that message is still the chat's newest
	// (the current question), checked under the session's lock; else Handle returns
	// ErrOldButton.
	Button int64
	// Question is the id of the question the citizen answers, when the channel knows which
	// one they were shown (the web page sends it): a text meant for another question than the
	// one now asked (a second tab went on, a retry after a lost answer) is not stored as the
	// answer to this one. Empty means the channel cannot tell.
	Question string
	// MessageID is the platform's number of a new message in its chat, where the platform
	// numbers a chat's messages in order, the bot's and the citizen's alike (Telegram), and
	// for a pressed button the number of its message; 0 if not known (an edit, another
	// channel). See Session.QuestionAfter.
	MessageID int64
	// ReplyTo is the platform's number of the bot's message that this one replies to
	// (Telegram's swipe-to-reply), numbered as MessageID; 0 if it replies to none, or to the
	// citizen's own message. A reply to a message that came before the current question was
	// asked (see Session.QuestionAfter) is not taken as its answer: the citizen means to change
	// an earlier answer.
	ReplyTo int64
	// EventID is the platform's id of the message; a second delivery of the same id is
	// ignored. Empty means the channel cannot redeliver.
	EventID string
	Time    time.Time // when the platform received it; zero means now
	dated   bool      // Time was the platform's
	// Client is the network address of a web chat's browser (for Engine.WebStarts); empty
	// on the other channels.
	Client string
}

// Reply is one message to send. Options are numbered 1..N by the adapter; for the nine
// elements the number is the score.
type Reply struct {
	Text    string   `json:"text"`
	Options []Option `json:"options,omitempty"`
	// Question is the id of the flow question the message asks, if it asks one.
	Question string `json:"question,omitempty"`
	// Language is the language the question is asked in ("id", "en"), with Question: the web
	// page speaks it too.
	Language string `json:"lang,omitempty"`
	// Done marks the thank-you for a completed survey (Language its language): a message soon
	// after it, with no survey open, is answered that the answers are recorded.
	Done bool `json:"done,omitempty"`
	// Input says how the question the message asks is answered when it has no options:
	// "text", up to Max characters, or "number"; Skip is the reply that skips it, if it may
	// be skipped. The web page shapes its field and its Lewati button by them; the other
	// channels' messages say it in Text.
	Input string `json:"input,omitempty"`
	Max   int    `json:"max,omitempty"`
	Skip  string `json:"skip,omitempty"`
	// Answer is the citizen's accepted answer to the question the message asks, as the web
	// chat shows a reply ("2. Perempuan" for an option, else the number or text given): set
	// by Engine.Transcript, never stored with the message.
	Answer string `json:"answer,omitempty"`
	// Photo is a PNG image sent with Text as its caption (a digest's chart); channels that
	// cannot show images send the text alone.
	Photo []byte `json:"photo,omitempty"`
	// Template is an approved WhatsApp Business template to send instead of Text: the survey
	// invitation, the only message Sukma starts a chat with. Only the Cloud API channel can
	// send one; other channels refuse it with ErrBadRequest.
	Template *Template `json:"template,omitempty"`
}

// pressed reports whether the message is a pressed button: an option or a skip.
func (in Inbound) pressed() bool { return in.Option > 0 || in.Skip }

// SkipLabel is the label of a button that skips the question the message asks, in its
// language ("Lewati", "Skip"); "" if the question may not be skipped (Skip is empty).
func (r Reply) SkipLabel() string {
	if r.Skip == "" {
		return ""
	}
	return say(r.Language, "skipButton")
}

// Template names an approved message template and its body parameters ({{1}}, {{2}}, …).
// An empty Name or Language means the channel's configured invitation template.
type Template struct {
	Name     string   `json:"name,omitempty"`
	Language string   `json:"language,omitempty"`
	Params   []string `json:"params,omitempty"`
}

// Option is one choice of a Reply.
type Option struct {
	Label string `json:"label"`
}

// NumberedText is the reply as plain text for channels without buttons: the text, then one
// line per option, "N. label" (the citizen answers with the number).
func (r Reply) NumberedText() string {
	if len(r.Options) == 0 {
		return r.Text
	}
	var b strings.Builder
	b.WriteString(r.Text)
	b.WriteString("\n")
	for i, o := range r.Options {
		fmt.Fprintf(&b, "\n%d. %s", i+1, o.Label)
	}
	return b.String()
}
