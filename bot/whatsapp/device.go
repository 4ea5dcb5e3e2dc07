package whatsapp

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types/events"
)

// device is the real connection behind an Adapter made by Open.
type device struct {
	container *sqlstore.Container
	wm        *whatsmeow.Client
	relink    chan struct{} // the account was unlinked: wait for a new pairing
}

// PairHint is what a person must do when no account is linked.
const PairHint = "link an account with: sukma whatsapp pair (QR code) or sukma whatsapp pair --phone 62…"

// checkEvery is how often a running sukma looks for an account paired by `sukma whatsapp pair`.
var checkEvery = 30 * time.Second

// OpenStore opens whatsmeow's device store in Sukma's database (db is storage.DB's *sql.DB;
// dialect "sqlite" or "postgres") and creates or upgrades its whatsmeow_* tables, which
// whatsmeow versions on its own (whatsmeow_version) beside Sukma's migrations. On SQLite the
// connection must have foreign keys on (storage opens it so). Do not Close the container: it
// would close db.
func OpenStore(ctx context.Context, db *sql.DB, dialect string, logger *slog.Logger) (*sqlstore.Container, error) {
	c := sqlstore.NewWithDB(db, dialect, Log(logger, "store"))
	if err := c.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("whatsapp: device store: %w", err)
	}
	return c, nil
}

func init() {
	// The name the phone shows under "Linked devices".
	store.SetOSInfo("Sukma", [3]uint32{1, 0, 0})
}

// Open makes the channel on the device stored in the database. It does not connect (Run
// does); with no account linked yet the channel waits, in StateUnpaired.
func Open(ctx context.Context, container *sqlstore.Container, o Options) (*Adapter, error) {
	a := New(nil, o)
	a.device = &device{container: container, relink: make(chan struct{}, 1)}
	if _, err := a.pairedDevice(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// pairedDevice returns the linked device, or nil (and StateUnpaired) if there is none.
func (a *Adapter) pairedDevice(ctx context.Context) (*store.Device, error) {
	dev, err := a.device.container.GetFirstDevice(ctx)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: read the device store: %w", err)
	}
	if dev.ID == nil {
		a.setStatus(StateUnpaired, PairHint)
		return nil, nil
	}
	a.mu.Lock()
	a.status.Number = Mask(dev.ID.User)
	a.mu.Unlock()
	return dev, nil
}

// Number is the linked account's phone number (62…, for wa.me links), or "" when none is
// linked.
func Number(ctx context.Context, container *sqlstore.Container) string {
	dev, err := container.GetFirstDevice(ctx)
	if err != nil || dev.ID == nil {
		return ""
	}
	return dev.ID.User
}

// Run connects the linked device and keeps it connected until ctx is done (whatsmeow
// reconnects on its own). Until an account is linked, and again after it was unlinked from
// the phone, it checks every 30 seconds for one paired by `sukma whatsapp pair`.
func (a *Adapter) Run(ctx context.Context) {
	warned := false
	for ctx.Err() == nil {
		dev, err := a.pairedDevice(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Error("whatsapp: cannot read the device store", slog.Any("error", err))
		}
		if dev == nil {
			if !warned {
				a.log.Warn("whatsapp: no account linked; the other channels run normally. To " + PairHint)
				warned = true
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(checkEvery):
			}
			continue
		}
		warned = false
		a.connect(ctx, dev)
	}
}

// connect runs one client on a linked device until ctx is done or the account is unlinked.
func (a *Adapter) connect(ctx context.Context, dev *store.Device) {
	wm := whatsmeow.NewClient(dev, Log(a.opts.Logger, "client"))
	// Acknowledge a message only once the engine stored it (HandleEvent returns true), and
	// keep decrypted messages until then, so a crash loses nothing.
	wm.SynchronousAck = true
	wm.EnableDecryptedEventBuffer = true
	wm.InitialAutoReconnect = true
	// Old chats are not surveys: history sync is neither downloaded nor stored.
	wm.ManualHistorySyncDownload = true
	wm.AddEventHandlerWithSuccessStatus(a.HandleEvent)
	a.mu.Lock()
	a.client, a.device.wm = wm, wm
	a.mu.Unlock()
	a.setStatus(StateConnecting, "")
	a.log.Info("whatsapp: connecting", slog.String("number", Mask(dev.ID.User)))
	if err := wm.Connect(); err != nil {
		a.log.Warn("whatsapp: could not connect; whatsmeow keeps trying", slog.Any("error", maskAll(err.Error())))
	}
	select {
	case <-ctx.Done():
	case <-a.device.relink:
	}
	wm.Disconnect()
}

// lifecycle follows the connection's events: the Status, and a clear log line when a person
// must act.
func (a *Adapter) lifecycle(evt any) {
	switch e := evt.(type) {
	case *events.Connected:
		a.setStatus(StateConnected, "")
		a.log.Info("whatsapp: connected")
	case *events.Disconnected:
		a.setStatus(StateDisconnected, "reconnecting")
		a.log.Warn("whatsapp: disconnected; reconnecting")
	case *events.KeepAliveTimeout:
		a.log.Warn("whatsapp: keep-alive timed out", slog.Int("errors", e.ErrorCount))
	case *events.LoggedOut:
		a.setStatus(StateLoggedOut, "the account was unlinked ("+e.Reason.String()+"); "+PairHint)
		a.log.Error("whatsapp: the account was unlinked from the phone and must be paired again with `sukma whatsapp pair`; the other channels keep running",
			slog.String("reason", e.Reason.String()))
		if a.device != nil {
			select {
			case a.device.relink <- struct{}{}:
			default:
			}
		}
	case *events.StreamReplaced:
		a.setStatus(StateReplaced, "another process connected with this device (a second sukma serve?); restart this one to take it back")
		a.log.Error("whatsapp: another process connected with the same device; this one stopped receiving (only one sukma may run WhatsApp)")
	case *events.TemporaryBan:
		until := time.Now().Add(e.Expire).Round(time.Minute)
		a.setStatus(StateBanned, fmt.Sprintf("temporarily banned by WhatsApp (%s) until about %s", e.Code, until.Format(time.RFC3339)))
		a.log.Error("whatsapp: the number is temporarily banned by WhatsApp; lower whatsapp_global_rate",
			slog.String("reason", e.Code.String()), slog.Duration("expires_in", e.Expire), slog.Time("until", until))
	case *events.ClientOutdated:
		a.setStatus(StateOutdated, "WhatsApp refuses this version of whatsmeow: update sukma")
		a.log.Error("whatsapp: WhatsApp refuses this client version; update sukma (go.mau.fi/whatsmeow)")
	case *events.ConnectFailure:
		a.log.Warn("whatsapp: connection refused", slog.String("reason", e.Reason.String()), slog.String("message", e.Message))
	case *events.PairSuccess:
		a.log.Info("whatsapp: account linked", slog.String("number", Mask(e.ID.User)))
	}
}
