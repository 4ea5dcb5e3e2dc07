package whatsapp_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"sukma/bot"
	"sukma/bot/whatsapp"
	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestTheDeviceStoreLivesInSukmasDatabase(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		c, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), quiet())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), quiet()); err != nil {
			t.Fatalf("opening the store a second time (a restart): %v", err)
		}
		var n int
		if err := db.Get(&n, "SELECT COUNT(*) FROM whatsmeow_device"); err != nil || n != 0 {
			t.Fatalf("whatsmeow_device: %d rows, err %v; want an empty table", n, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatalf("our database after the upgrade: %v", err)
		}
		if err := db.Get(&n, "SELECT COUNT(*) FROM outbox"); err != nil {
			t.Fatalf("our tables after the upgrade: %v", err)
		}

		a, err := whatsapp.Open(ctx, c, whatsapp.Options{Engine: &fakeEngine{calls: &calls{}}, Logger: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		if st := a.Status(); st.State != whatsapp.StateUnpaired || !strings.Contains(st.Detail, "sukma whatsapp pair") {
			t.Errorf("status = %+v, want unpaired with the hint", st)
		}
		if got := whatsapp.Number(ctx, c); got != "" {
			t.Errorf("Number = %q before pairing, want empty", got)
		}

		// What pairing stores: a device with its JID and account signature.
		dev := c.NewDevice()
		jid := types.NewADJID(citizen, 0, 12)
		dev.ID = &jid
		dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
		if err := c.PutDevice(ctx, dev); err != nil {
			t.Fatal(err)
		}
		if got := whatsapp.Number(ctx, c); got != citizen {
			t.Errorf("Number = %q after pairing, want %s", got, citizen)
		}
		if _, err := whatsapp.Open(ctx, c, whatsapp.Options{Engine: &fakeEngine{calls: &calls{}}, Logger: quiet()}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSukmaMigratesADatabaseThatHasTheDeviceStore(t *testing.T) {
	url := storagetest.SQLiteURL(t)
	ctx := context.Background()
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), quiet()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = storage.Open(ctx, url)
	if err != nil {
		t.Fatalf("reopening with whatsmeow's tables beside ours: %v", err)
	}
	defer db.Close()
	if _, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), quiet()); err != nil {
		t.Fatalf("reopening the device store: %v", err)
	}
}

func TestAWhatsAppCitizenIsSurveyedByTheRealEngine(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100})
		if err != nil {
			t.Fatal(err)
		}
		token := "tokwa1"
		if err := db.CreateVisit(ctx, storage.NewVisit{Token: token, UnitID: u.ID, FlowID: "skm", ExpiresAt: time.Now().Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		c := &calls{}
		engine := &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: time.UTC, Logger: quiet()}
		a := whatsapp.New(&fakeClient{calls: c}, whatsapp.Options{Engine: engine, Logger: quiet()})

		steps := []struct{ id, text string }{{"S1", "SKM " + token}, {"S2", "2"}, {"S3", ""}, {"S2", "2"}}
		for _, s := range steps {
			// What the bot wrote has reached the citizen, as the dispatcher sends it.
			if _, err := db.Exec(db.Rebind("UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL"), time.Now().UnixMilli()); err != nil {
				t.Fatal(err)
			}
			if !a.HandleEvent(textEvent(s.id, s.text)) {
				t.Fatalf("message %s not stored", s.id)
			}
		}
		var n int
		if err := db.Get(&n, "SELECT COUNT(*) FROM answers"); err != nil || n != 1 {
			t.Errorf("%d answers (err %v), want 1: the redelivered S2 counts once", n, err)
		}
		var bodies []string
		if err := db.Select(&bodies, db.Rebind("SELECT body FROM outbox WHERE channel = ? AND chat_id = ? ORDER BY id"), bot.ChannelWhatsApp, citizenJID.String()); err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 4 || !strings.Contains(bodies[0], "Halo") {
			t.Errorf("outbox = %q, want greeting, first question, second question, re-prompt", bodies)
		}
		if reads := strings.Count(strings.Join(c.all(), "\n"), "read "); reads != 4 {
			t.Errorf("%d messages marked read, want all 4 deliveries", reads)
		}
	})
}

func TestRepliesWaitWhileNoDeviceIsConnected(t *testing.T) {
	db := storagetest.SQLite(t)
	ctx := context.Background()
	c, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), quiet())
	if err != nil {
		t.Fatal(err)
	}
	a, err := whatsapp.Open(ctx, c, whatsapp.Options{Engine: &fakeEngine{calls: &calls{}}, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	var throttled *bot.ErrThrottled
	if err := a.Send(ctx, citizenJID.String(), bot.Reply{Text: "halo"}); !errors.As(err, &throttled) || throttled.RetryAfter <= 0 {
		t.Errorf("err = %v, want ErrThrottled so the reply waits without using up its attempts", err)
	}
}
