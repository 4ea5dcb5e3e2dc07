package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sukma/flows"
	"sukma/storage"
)

// conversation is one step of an open session.
type conversation struct {
	*step
	sess     storage.Session
	flow     *flows.Flow
	services []storage.Service // the unit's, while the session asks which (askingService)
}

func (c *conversation) lang() string { return c.sess.Language }

// ask sends the question the session is at.
func (c *conversation) ask() { c.replies = append(c.replies, c.question()) }

// reprompt says what is expected and asks the same question again, in one message.
func (c *conversation) reprompt(hint string) {
	r := c.question()
	r.Text = hint + "\n\n" + r.Text
	c.replies = append(c.replies, r)
}

// question is the message that asks the question the session is at.
func (c *conversation) question() Reply {
	if c.sess.Position == askingService {
		return c.serviceReply()
	}
	q := c.flow.Questions[c.sess.Position]
	text, options := q.Render(c.lang())
	r := Reply{Text: text, Options: optionReplies(options), Question: q.ID, Language: c.lang()}
	switch q.Kind {
	case flows.KindText:
		r.Input, r.Max = "text", q.MaxLength
	case flows.KindNumber:
		r.Input = "number"
	}
	if q.Optional {
		r.Skip = skipWord(q, c.lang())
	}
	return r
}

// skipWord is the reply that skips q, an optional question, in lang: the word its text tells
// to type (`Ketik "lewati" …`), else "-", whichever q takes as a skip; "" if neither.
func skipWord(q *flows.Question, lang string) string {
	hint, _ := (&flows.Question{Optional: true}).Render(lang)
	var words []string
	if _, rest, ok := strings.Cut(hint, `"`); ok {
		if word, _, ok := strings.Cut(rest, `"`); ok {
			words = append(words, word)
		}
	}
	for _, word := range append(words, "-") {
		if _, skipped, _, ok := q.Check(word, lang); ok && skipped {
			return word
		}
	}
	return ""
}

// questionID is the id of the question the session is at.
func (c *conversation) questionID() string {
	if c.sess.Position == askingService {
		return serviceQuestion
	}
	return c.flow.Questions[c.sess.Position].ID
}

func (c *conversation) save() error {
	c.sess.UpdatedAt = c.now
	c.noteLead(&c.sess)
	return c.tx.UpdateSession(c.sess)
}

// moveTo saves the session at the question at position, asked now.
func (c *conversation) moveTo(position int) error {
	c.sess.Position, c.sess.AskedAt, c.sess.QuestionAfter = position, c.clock, c.questionAfter()
	return c.save()
}

// answer checks the reply against the question asked; a valid one is stored and the next
// question asked, an invalid one gets a re-prompt and changes nothing.
func (c *conversation) answer(loc *time.Location) error {
	if c.in.Question != "" && c.in.Question != c.questionID() {
		// Meant for a question that is no longer asked: stored, it would answer this one.
		c.say(c.lang(), "passed")
		c.ask()
		return nil
	}
	if c.in.Edited {
		// Not read, whenever its first version was sent: the citizen thinks it changed an
		// answer, and hears that it did not, and how to.
		c.reprompt(say(c.lang(), "edited"))
		return nil
	}
	if c.in.Media && c.in.Text == "" && c.in.Option == 0 {
		// A sticker or a voice note: nothing to read, whenever it was sent.
		if err := c.passNumber(); err != nil {
			return err
		}
		c.reprompt(say(c.lang(), "notText"))
		return nil
	}
	if before, err := c.numberedBeforeQuestion(); err != nil {
		return err
	} else if before {
		return c.turnAway()
	}
	if notShown, err := c.questionNotShown(); err != nil {
		return err
	} else if notShown || c.writtenBeforeAsked() {
		return c.turnAway()
	}
	if c.repliesToEarlier() {
		c.reprompt(say(c.lang(), "repliedEarlier"))
		return nil
	}
	if c.in.Option == 0 && looksLikeCommand(c.in.Text) {
		c.reprompt(say(c.lang(), "unknownCommand"))
		return nil
	}
	if c.sess.Position == askingService {
		return c.answerService(c.in.Text)
	}
	q := c.flow.Questions[c.sess.Position]
	input := c.in.Text
	switch {
	case c.in.Skip:
		// The skip word in the survey's language now, which Check reads as a skip: a button
		// shown before a /bahasa skips as the word typed now would.
		if input = skipWord(q, c.lang()); input == "" {
			c.reprompt(say(c.lang(), "noSuchOption")) // a question that may not be skipped
			return nil
		}
	case c.in.Option > 0:
		if c.in.Option > len(q.Options) {
			c.reprompt(say(c.lang(), "noSuchOption"))
			return nil
		}
		// The option's number, which Check reads as that option; its value could be read as
		// another's number (a choice with codes "0" and "1").
		input = strconv.Itoa(c.in.Option)
	}
	value, skipped, hint, ok := q.Check(input, c.lang())
	if !ok {
		if lang := namedLanguage(c.in.Text); c.in.Option == 0 && lang != "" && lang != c.lang() && slices.Contains(c.flow.Languages, lang) {
			return c.switchLanguage(lang) // "English please": no answer, so the citizen asks for English
		}
		if name := bareCommand(c.in.Text); c.in.Option == 0 && name != "" {
			hint = fmt.Sprintf(say(c.lang(), "bareCommand"), name) + " " + hint
		}
		c.reprompt(hint)
		return nil
	}
	var err error
	if skipped {
		err = c.tx.DeleteAnswer(c.sess.ID, q.ID)
	} else {
		err = c.tx.SaveAnswer(c.sess.ID, q.ID, value, c.now)
	}
	if err != nil {
		return err
	}
	// The answers are read back only when they decide what comes next (a condition) or
	// are all stored: a next question without a condition is simply asked.
	var answers map[string]string
	next := c.sess.Position + 1
	if next >= len(c.flow.Questions) || c.flow.Questions[next].When != nil {
		if answers, err = c.tx.Answers(c.sess.ID); err != nil {
			return err
		}
		next = c.flow.Next(next, answers)
	}
	if next < 0 {
		return c.complete(answers, loc)
	}
	if err := c.moveTo(next); err != nil {
		return err
	}
	c.ask()
	return nil
}

// complete stores the response, uses up the visit, closes the session and thanks the citizen.
func (c *conversation) complete(answers flows.Answers, loc *time.Location) error {
	if !storage.IsPreviewFlowID(c.sess.FlowID) {
		r := flatten(c.sess, c.flow, answers, storage.ResponseComplete, c.now, loc)
		if err := c.tx.InsertResponse(r); err != nil {
			return err
		}
	}
	if c.sess.VisitToken != "" {
		if err := c.tx.MarkVisitUsed(c.sess.VisitToken, c.now); err != nil {
			return err
		}
	}
	if err := c.tx.EndSession(c.sess.ID, storage.SessionCompleted, c.now); err != nil {
		return err
	}
	c.completed = true
	text := say(c.lang(), "counted")
	if storage.IsPreviewFlowID(c.sess.FlowID) {
		text = say(c.lang(), "previewDone") // an admin trying a draft: nothing was counted
	}
	if closing := c.flow.Closing.In(c.lang()); closing != "" { // optional in a flow
		text = closing + "\n\n" + text
	}
	c.replies = append(c.replies, Reply{Text: text, Language: c.lang(), Done: true})
	return nil
}

func (c *conversation) cancel() error {
	if err := c.tx.DeleteAnswers(c.sess.ID); err != nil {
		return err
	}
	if err := c.tx.EndSession(c.sess.ID, storage.SessionCancelled, c.now); err != nil {
		return err
	}
	if c.in.Channel == ChannelWeb {
		c.say(c.lang(), "cancelledWeb") // the link's page starts again at the next message
		return nil
	}
	c.say(c.lang(), "cancelled")
	return nil
}

func (c *conversation) restart() error {
	if err := c.tx.DeleteAnswers(c.sess.ID); err != nil {
		return err
	}
	if err := c.moveTo(c.flow.Next(0, flows.Answers{})); err != nil {
		return err
	}
	c.say(c.lang(), "restarted")
	c.ask()
	return nil
}

// switchLanguage changes to the language named (a code in any case, or a name: see
// languageAsked), or to the flow's next one; a name of no language of the flow gets the
// choices.
func (c *conversation) switchLanguage(want string) error {
	lang, ok := languageAsked(c.flow.Languages, c.lang(), want)
	if !ok {
		c.replies = append(c.replies, unknownLanguage(c.lang(), want, c.flow.Languages))
		c.ask()
		return nil
	}
	c.sess.Language = lang
	if err := c.save(); err != nil {
		return err
	}
	c.replies = append(c.replies, languageNotice(lang))
	c.ask()
	return nil
}

// flatten turns a session's answers into a response row: the nine element scores by element
// code (never by position), the profile and the open answers of the built-in flow's ids.
func flatten(sess storage.Session, flow *flows.Flow, a flows.Answers, status string, now int64, loc *time.Location) storage.Response {
	r := storage.Response{
		SessionID: sess.ID, RespondentID: sess.RespondentID, UnitID: sess.UnitID, ServiceID: sess.ServiceID,
		VisitToken: sess.VisitToken, FlowID: sess.FlowID, FlowVersion: sess.FlowVersion, Status: status,
		FinishedAt: now, LocalDay: localDay(now, loc),
	}
	for _, q := range flow.Questions {
		v, ok := a[q.ID]
		if !ok || q.Kind != flows.KindScale || len(q.Element) != 2 {
			continue
		}
		if i := int(q.Element[1] - '1'); i >= 0 && i < 9 {
			r.Scores[i] = atoiPtr(v)
		}
	}
	str := func(id string) *string {
		if v, ok := a[id]; ok {
			return &v
		}
		return nil
	}
	r.JenisKelamin, r.Pendidikan, r.Pekerjaan = str("jenis_kelamin"), str("pendidikan"), str("pekerjaan")
	r.Saran, r.Perbaikan = str("saran"), str("perbaikan")
	if v, ok := a["usia"]; ok {
		r.Usia = atoiPtr(v)
	}
	r.Lainnya = otherAnswers(flow, a)
	return r
}

// fixedAnswers are the ids of the questions whose answers have a column of their own besides
// the elements' (which go by their element, whatever their id).
var fixedAnswers = map[string]bool{"jenis_kelamin": true, "usia": true, "pendidikan": true, "pekerjaan": true, "saran": true, "perbaikan": true}

// otherAnswers lists, in the flow's order, the answers that no column of the response holds:
// "question_id: value", one a line, the value escaped (oneLine); nil if there are none.
func otherAnswers(flow *flows.Flow, a flows.Answers) *string {
	var b strings.Builder
	for _, q := range flow.Questions {
		v, ok := a[q.ID]
		if !ok || fixedAnswers[q.ID] || q.Kind == flows.KindScale && len(q.Element) == 2 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(q.ID + ": " + oneLine.Replace(v))
	}
	if b.Len() == 0 {
		return nil
	}
	s := b.String()
	return &s
}

// oneLine escapes a value of otherAnswers so that it stays on its line: a citizen's text
// "x\nsaran: palsu" would otherwise read as a second answer, to a question not asked. A line
// break is written \n (\r a carriage return), the backslash \\, and what other tools take
// for a line break (Python's splitlines: vertical tab, form feed, U+001C–U+001E, U+0085,
// U+2028, U+2029) \uXXXX.
var oneLine = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`,
	"\v", `\u000b`, "\f", `\u000c`, "\x1c", `\u001c`, "\x1d", `\u001d`, "\x1e", `\u001e`,
	"\u0085", `\u0085`, "\u2028", `\u2028`, "\u2029", `\u2029`)
