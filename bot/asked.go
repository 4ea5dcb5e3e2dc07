package bot

import (
	"encoding/json"
	"errors"

	"sukma/storage"
)

// Which question a message answers: a chat's buttons and a web page's replies name the
// question they were meant for, and only the question the session asks now takes an answer.

// asksCurrentQuestion reports whether the message whose button was pressed, not the chat's
// newest, asks the question the session asks now and was written in this survey: the question
// asked before a re-prompt, a /bahasa or a subscriber's command asked it again, whose buttons
// are still on the screen and still mean the same.
func (e *Engine) asksCurrentQuestion(s *step, sess storage.Session) (bool, error) {
	body, at, err := s.tx.OutboxBody(s.in.Channel, s.in.ChatID, s.in.Button)
	if errors.Is(err, storage.ErrNotFound) || err == nil && at < sess.StartedAt {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	flow, err := e.flows.get(s.tx, sess.FlowID, sess.FlowVersion)
	if err != nil {
		return false, err
	}
	var pressed Reply
	if err := json.Unmarshal([]byte(body), &pressed); err != nil {
		return false, nil // not a question of ours
	}
	c := conversation{sess: sess, flow: flow}
	return pressed.Question != "" && pressed.Question == c.questionID(), nil
}

// askAgain asks the question of the survey under way in the chat, if there is one, after a
// reply to something else (a subscriber's command): the question stays the chat's last
// message, and on Telegram its buttons the current ones.
func (e *Engine) askAgain(s *step) error {
	sess, err := s.tx.ActiveSession(s.in.Channel, s.in.ChatID)
	if errors.Is(err, storage.ErrNotFound) || err == nil && sess.ExpiresAt < s.now {
		return nil // none, or one the next message closes
	}
	if err != nil {
		return err
	}
	c, err := e.conversation(s, sess)
	if err != nil {
		return err
	}
	c.ask()
	return nil
}
