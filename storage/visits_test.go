package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A step that may open a survey on a visit reads it with LockVisit: while another
// transaction completes the visit's survey (marking it used), the read waits for it and then
// sees the visit used, so no second survey opens on a rated visit.
func TestLockVisitWaitsForTheStepThatUsesTheVisit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		if _, err := db.Exec("INSERT INTO flows (id, version, source, published_by, published_at) VALUES ('skm', 1, '', 'test', 0)"); err != nil {
			t.Fatal(err)
		}
		const token = "tok-lock"
		if err := db.CreateVisit(ctx, storage.NewVisit{Token: token, UnitID: u.ID, FlowID: "skm", ExpiresAt: time.Now().Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		marked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.InTx(ctx, func(tx *storage.Tx) error {
				if err := tx.MarkVisitUsed(token, 1); err != nil {
					return err
				}
				close(marked)
				<-release
				return nil
			})
		}()
		<-marked
		var once sync.Once
		let := func() { once.Do(func() { close(release) }) }
		defer let() // also when the test stops early: the transaction must end
		read := make(chan storage.Visit, 1)
		go func() {
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				v, err := tx.LockVisit(token)
				read <- v
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
		select {
		case v := <-read:
			t.Fatalf("LockVisit returned while the visit was being used: %+v", v)
		case <-time.After(200 * time.Millisecond):
		}
		let()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if v := <-read; v.UsedAt == nil {
			t.Errorf("LockVisit after the other step committed: the visit is unused, %+v", v)
		}
	})
}

// Two transactions that lock two rows in opposite orders deadlock on PostgreSQL; the one it
// undoes fails with an error IsTransient recognises, so that the step is run again.
func TestADeadlockIsTransient(t *testing.T) {
	db := storagetest.Postgres(t)
	ctx := context.Background()
	a, b := newUnit(t, db, "A"), newUnit(t, db, "B")
	update := func(tx *storage.Tx, id int64) error {
		_, err := tx.ExecContext(ctx, "UPDATE units SET population = population + 1 WHERE id = $1", id)
		return err
	}
	var locked sync.WaitGroup // both hold their first row before either asks for its second
	locked.Add(2)
	errs := make(chan error, 2)
	for _, ids := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
		go func() {
			errs <- db.InTx(ctx, func(tx *storage.Tx) error {
				err := update(tx, ids[0])
				locked.Done()
				locked.Wait()
				if err != nil {
					return err
				}
				return update(tx, ids[1])
			})
		}()
	}
	first, second := <-errs, <-errs
	failed := first
	if failed == nil {
		failed = second
	}
	if failed == nil || !storage.IsTransient(failed) {
		t.Errorf("errors %v and %v: want one deadlock that IsTransient recognises", first, second)
	}
}
