package whatsappcloud

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"sukma/bot"
)

// Limits of the Cloud API on interactive messages.
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
const (
	maxButtons         = 3
	maxRows            = 10
	maxInteractiveBody = 1024
	maxButtonTitle     = 20
	maxRowTitle        = 24
	maxRowDescription  = 72
	listButtonText     = "Pilih jawaban"
	optionIDPrefix     = "o:"
)

// interactive returns the Graph API message of a reply with options: reply buttons for up to
// three options, a list for four to ten, each button or row with the id "o:<outbox id>:N"; or
// nil when the options must go as numbered text (none, more than ten, no outbox row to name,
// or a body too long for an interactive message).
func interactive(outboxID int64, r bot.Reply) map[string]any {
	n := len(r.Options)
	if n == 0 || n > maxRows || outboxID <= 0 {
		return nil
	}
	body := r.Text
	var action map[string]any
	kind := "button"
	if n <= maxButtons {
		var titles []string
		body, titles = buttonTitles(r)
		buttons := make([]any, n)
		for i, t := range titles {
			buttons[i] = map[string]any{"type": "reply", "reply": map[string]any{"id": optionID(outboxID, i+1), "title": t}}
		}
		action = map[string]any{"buttons": buttons}
	} else {
		kind = "list"
		rows := make([]any, n)
		for i, o := range r.Options {
			full := fmt.Sprintf("%d. %s", i+1, o.Label)
			row := map[string]any{"id": optionID(outboxID, i+1), "title": truncate(full, maxRowTitle)}
			if row["title"] != full {
				row["description"] = truncate(o.Label, maxRowDescription)
			}
			rows[i] = row
		}
		action = map[string]any{"button": listButtonText, "sections": []any{map[string]any{"rows": rows}}}
	}
	if strings.TrimSpace(body) == "" || utf8.RuneCountInString(body) > maxInteractiveBody {
		return nil
	}
	return map[string]any{"type": "interactive", "interactive": map[string]any{
		"type": kind, "body": map[string]any{"text": body}, "action": action,
	}}
}

// buttonTitles returns the body and the button titles of a reply with up to three options:
// the labels themselves when each fits a button (and no two are the same), else "N. label"
// shortened, with the full labels as numbered lines in the body.
func buttonTitles(r bot.Reply) (body string, titles []string) {
	seen := map[string]bool{}
	fit := true
	for _, o := range r.Options {
		l := strings.TrimSpace(o.Label)
		if l == "" || utf8.RuneCountInString(l) > maxButtonTitle || seen[l] {
			fit = false
		}
		seen[l] = true
		titles = append(titles, l)
	}
	if fit {
		return r.Text, titles
	}
	for i, o := range r.Options {
		titles[i] = truncate(fmt.Sprintf("%d. %s", i+1, o.Label), maxButtonTitle)
	}
	return r.NumberedText(), titles
}

// truncate shortens s to at most max characters, ending in "…" when it was cut.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return strings.TrimRight(string(runes[:max-1]), " ") + "…"
}

func optionID(outboxID int64, n int) string {
	return fmt.Sprintf("%s%d:%d", optionIDPrefix, outboxID, n)
}

// parseOptionID reads a button or row id "o:<outbox id>:N".
func parseOptionID(id string) (outboxID int64, n int, ok bool) {
	rest, found := strings.CutPrefix(id, optionIDPrefix)
	if !found {
		return 0, 0, false
	}
	idText, nText, found := strings.Cut(rest, ":")
	if !found {
		return 0, 0, false
	}
	outboxID, err1 := strconv.ParseInt(idText, 10, 64)
	n, err2 := strconv.Atoi(nText)
	if err1 != nil || err2 != nil || outboxID <= 0 || n <= 0 {
		return 0, 0, false
	}
	return outboxID, n, true
}

// templateMessage is the Graph API message of an approved template; an empty name or
// language is the adapter's invitation template.
// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
func (a *Adapter) templateMessage(t bot.Template) map[string]any {
	name, lang := t.Name, t.Language
	if name == "" {
		name = a.opts.InviteTemplate
	}
	if lang == "" {
		lang = a.opts.InviteLanguage
	}
	tpl := map[string]any{"name": name, "language": map[string]any{"code": lang}}
	if len(t.Params) > 0 {
		params := make([]any, len(t.Params))
		for i, p := range t.Params {
			params[i] = map[string]any{"type": "text", "text": p}
		}
		tpl["components"] = []any{map[string]any{"type": "body", "parameters": params}}
	}
	return map[string]any{"type": "template", "template": tpl}
}
