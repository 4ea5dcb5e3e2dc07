package bot

import (
	"encoding/json"
	"time"
)

// recentlyDone is how long after a chat's survey is completed a message with no survey open
// is taken as about that survey (a "terima kasih", the last answer sent twice): it hears
// that the answers are recorded, in the survey's language, not the help on how to start one.
const recentlyDone = time.Hour

// doneLanguage returns the language of the survey the step's chat completed within
// recentlyDone, if its newest message is that survey's thank-you (Reply.Done); ok is false
// otherwise. The chat's id is forgotten with its session, but not yet with its messages.
func (s *step) doneLanguage() (lang string, ok bool, err error) {
	msgs, err := s.tx.ChatOutgoing(s.in.Channel, s.in.ChatID, 1)
	if err != nil || len(msgs) == 0 {
		return "", false, err
	}
	var r Reply
	if json.Unmarshal([]byte(msgs[0].Body), &r) != nil || !r.Done || s.now-msgs[0].CreatedAt >= recentlyDone.Milliseconds() {
		return "", false, nil
	}
	return r.Language, true, nil
}

// thanked is the short answer to a message soon after a survey was completed, in its
// language; it is a thank-you too, so that a second message hears the same.
func thanked(lang string) Reply {
	return Reply{Text: say(lang, "recorded"), Language: lang, Done: true}
}
