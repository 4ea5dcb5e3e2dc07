package storage_test

import (
	"context"
	"slices"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// The web chat's history tells the messages of the survey under way from those of earlier
// surveys of the chat by their times: a chat's messages come with the time of the step that
// wrote them.
func TestChatMessagesComeWithTheirTimes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		want := []storage.ChatMessage{{Body: `{"text":"q1"}`, At: 1000}, {Body: `{"text":"q2"}`, At: 2000}}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.Enqueue("web", "w", want[0].Body, want[0].At, true); err != nil {
				return err
			}
			if err := tx.Enqueue("web", "other", `{"text":"elsewhere"}`, 1500, true); err != nil {
				return err
			}
			return tx.Enqueue("web", "w", want[1].Body, want[1].At, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		if ms, err := db.FindChatMessages(ctx, "web", "w"); err != nil || !slices.Equal(ms, want) {
			t.Errorf("FindChatMessages = %v, %v; want %v", ms, err, want)
		}
	})
}
