package digest

import (
	"context"
	"time"

	"sukma/bot"
	"sukma/storage"
)

var welcomeLine = map[lang]string{
	"id": "👋 Admin SKM mendaftarkan percakapan ini untuk ringkasan Survei Kepuasan Masyarakat (SKM).",
	"en": "👋 An SKM admin has subscribed this chat to the Public Satisfaction Survey (SKM) digests.",
}

// Welcome is the message of a chat that an admin subscribed (in the admin pages or by the
// JSON API), in its language: who added it, then the confirmation a code gets (what, when,
// how to stop). A head who never asked for digests learns what they are before the first.
func Welcome(sub storage.Subscriber, now time.Time, loc *time.Location) string {
	return welcomeLine[langOf(sub.Language)] + "\n" + Confirmation(sub, now, loc)
}

// CreateSubscriber stores a subscriber that an admin made and writes its Welcome to the
// outbox in the same transaction. It returns storage.ErrConflict as
// storage.DB.CreateSubscriber does, and then sends nothing.
func CreateSubscriber(ctx context.Context, db *storage.DB, n storage.NewSubscriber, loc *time.Location) (storage.Subscriber, error) {
	if loc == nil {
		loc = time.UTC
	}
	var sub storage.Subscriber
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		id, err := tx.CreateSubscriber(n)
		if err != nil {
			return err
		}
		if sub, err = tx.FindSubscriberByID(id); err != nil {
			return err
		}
		now := db.Now()
		return enqueue(tx, sub, []bot.Reply{{Text: Welcome(sub, now, loc)}}, now)
	})
	if err != nil {
		return storage.Subscriber{}, err
	}
	return sub, nil
}
