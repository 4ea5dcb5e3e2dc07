package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Subscriber receives digests (on its cron Schedule) and, with Alerts, alerts. It follows one
// unit (UnitID), one agency's units (AgencyID), or with neither the whole province.
type Subscriber struct {
	ID         int64  `db:"id"`
	UnitID     *int64 `db:"unit_id"`
	AgencyID   *int64 `db:"agency_id"`
	UnitCode   string `db:"unit_code"`
	UnitName   string `db:"unit_name"`
	AgencyCode string `db:"agency_code"`
	AgencyName string `db:"agency_name"`
	Channel    string `db:"channel"`
	Address    string `db:"address"`  // Telegram chat id or WhatsApp number
	Schedule   string `db:"schedule"` // cron expression in SUKMA_TIMEZONE
	Language   string `db:"language"` // id or en
	Alerts     bool   `db:"alerts"`
	CreatedAt  int64  `db:"created_at"`
	// LastAlertAt is when the last alert went out (unix ms), nil if never.
	LastAlertAt *int64 `db:"last_alert_at"`
}

// NewSubscriber is what CreateSubscriber needs.
type NewSubscriber struct {
	UnitID, AgencyID                     *int64
	Channel, Address, Schedule, Language string
	Alerts                               bool
}

// ErrCodeUsed and ErrCodeExpired are why a subscription code cannot be redeemed.
var (
	ErrCodeUsed    = errors.New("subscription code already used")
	ErrCodeExpired = errors.New("subscription code expired")
)

// CreateSubscriber stores a subscriber and returns it. It returns ErrConflict if the address
// already subscribes to the same scope on the channel (see FindSubscriberOfScope): a chat
// gets each digest once.
func (db *DB) CreateSubscriber(ctx context.Context, n NewSubscriber) (Subscriber, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) (err error) {
		id, err = tx.CreateSubscriber(n)
		return err
	})
	if err != nil {
		return Subscriber{}, err
	}
	return db.FindSubscriberByID(ctx, id)
}

// CreateSubscriber stores a subscriber and returns its id, or ErrConflict if the address
// already subscribes to the same scope on the channel.
func (tx *Tx) CreateSubscriber(n NewSubscriber) (int64, error) {
	var id int64
	err := tx.Q("insert-subscriber").GetContext(tx.ctx, &id, n.UnitID, n.AgencyID, n.Channel, n.Address,
		n.Schedule, n.Language, n.Alerts, tx.db.Now().UnixMilli())
	if isUniqueViolation(err) {
		return 0, fmt.Errorf("subscriber %s %s: %w", n.Channel, n.Address, ErrConflict)
	}
	return id, wrap(err, "create subscriber")
}

// Subscribe stores a subscriber, or, if the address already subscribes to the same scope on
// the channel, gives that subscription n's schedule, language and alerts; it returns the id.
func (tx *Tx) Subscribe(n NewSubscriber) (int64, error) {
	var id int64
	err := tx.Q("upsert-subscriber").GetContext(tx.ctx, &id, n.UnitID, n.AgencyID, n.Channel, n.Address,
		n.Schedule, n.Language, n.Alerts, tx.db.Now().UnixMilli())
	return id, wrap(err, "subscribe")
}

// FindSubscriberOfScope returns the subscription of an address on a channel to a unit (unitID),
// an agency (agencyID) or, with neither, the province; or ErrNotFound.
func (db *DB) FindSubscriberOfScope(ctx context.Context, channel, address string, unitID, agencyID *int64) (Subscriber, error) {
	var s Subscriber
	err := db.Q("find-subscriber-of-scope").GetContext(ctx, &s, channel, address, idOrZero(unitID), idOrZero(agencyID))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("subscriber %s %s: %w", channel, address, ErrNotFound)
	}
	return s, wrap(err, "subscriber %s %s", channel, address)
}

// idOrZero is an optional id as the subscribers' unique key has it: 0 for none.
func idOrZero(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// FindSubscribers returns every subscriber, oldest first.
func (db *DB) FindSubscribers(ctx context.Context) ([]Subscriber, error) {
	subs := []Subscriber{}
	err := db.Q("find-subscribers").SelectContext(ctx, &subs)
	return subs, wrap(err, "subscribers")
}

// Delivery is what became of a subscriber's newest digest or alert: sent, given up (FailedAt,
// LastError), or waiting (neither), tried Attempts times.
type Delivery struct {
	SubscriberID int64  `db:"subscriber_id"`
	CreatedAt    int64  `db:"created_at"`
	SentAt       *int64 `db:"sent_at"`
	FailedAt     *int64 `db:"failed_at"`
	Attempts     int    `db:"attempts"`
	LastError    string `db:"last_error"`
}

// LastDeliveries returns, by subscriber id, what became of each subscriber's newest digest or
// alert; a subscriber sent none yet is not in it.
func (db *DB) LastDeliveries(ctx context.Context) (map[int64]Delivery, error) {
	var ds []Delivery
	if err := db.Q("subscriber-last-messages").SelectContext(ctx, &ds); err != nil {
		return nil, wrap(err, "subscribers' deliveries")
	}
	out := make(map[int64]Delivery, len(ds))
	for _, d := range ds {
		out[d.SubscriberID] = d
	}
	return out, nil
}

// FindSubscriberByID returns a subscriber, or ErrNotFound.
func (db *DB) FindSubscriberByID(ctx context.Context, id int64) (Subscriber, error) {
	var s Subscriber
	err := db.Q("find-subscriber").GetContext(ctx, &s, id)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("subscriber %d: %w", id, ErrNotFound)
	}
	return s, wrap(err, "subscriber %d", id)
}

// subscriptionEnded is why a digest or an alert was not sent (outbox.last_error).
const subscriptionEnded = "subscription ended before it was sent"

// DeleteSubscriber removes a subscriber with its digest record, and gives up its digests and
// alerts not sent yet (EnqueueForSubscriber), or returns ErrNotFound.
func (db *DB) DeleteSubscriber(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Q("drop-unsent-of-subscriber").ExecContext(ctx, tx.db.Now().UnixMilli(), subscriptionEnded, id, id, id); err != nil {
			return wrap(err, "delete subscriber %d: its unsent messages", id)
		}
		res, err := tx.Q("delete-subscriber").ExecContext(ctx, id)
		if err != nil {
			return wrap(err, "delete subscriber %d", id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("subscriber %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// Unsubscribe removes every subscription of one chat, with their digests and alerts not sent
// yet (the chat's other messages stay), and returns how many there were.
func (tx *Tx) Unsubscribe(channel, address string) (int64, error) {
	if _, err := tx.Q("drop-unsent-of-address").ExecContext(tx.ctx, tx.db.Now().UnixMilli(), subscriptionEnded, channel, address, channel, address); err != nil {
		return 0, wrap(err, "unsubscribe: unsent messages")
	}
	res, err := tx.Q("delete-subscribers-of-address").ExecContext(tx.ctx, channel, address)
	if err != nil {
		return 0, wrap(err, "unsubscribe")
	}
	n, err := res.RowsAffected()
	return n, wrap(err, "unsubscribe")
}

// Agency is a group of units (a dinas, a badan).
type Agency struct {
	ID   int64  `db:"id"`
	Code string `db:"code"`
	Name string `db:"name"`
}

// FindAgencyByCode returns the agency with the code in any case, as units are found (its
// Code as stored), or ErrNotFound.
func (db *DB) FindAgencyByCode(ctx context.Context, code string) (Agency, error) {
	a := Agency{Code: code}
	err := db.Q("find-agency-code-folded").GetContext(ctx, &a, code, code)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agency %s: %w", code, ErrNotFound)
	}
	return a, wrap(err, "agency %s", code)
}

// FindAgencyByID returns the agency with the id, or ErrNotFound.
func (db *DB) FindAgencyByID(ctx context.Context, id int64) (Agency, error) {
	var a Agency
	err := db.Q("find-agency-by-id").GetContext(ctx, &a, id)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agency %d: %w", id, ErrNotFound)
	}
	return a, wrap(err, "agency %d", id)
}

// SubscriptionCode is a one-time code that subscribes the chat that sends it.
type SubscriptionCode struct {
	Code      string `db:"code"`
	UnitID    *int64 `db:"unit_id"`
	AgencyID  *int64 `db:"agency_id"`
	Schedule  string `db:"schedule"`
	Language  string `db:"language"`
	Alerts    bool   `db:"alerts"`
	ExpiresAt int64  `db:"expires_at"`
	UsedAt    *int64 `db:"used_at"`
}

// CreateSubscriptionCode stores a code; ErrConflict if the code exists (draw another).
func (db *DB) CreateSubscriptionCode(ctx context.Context, c SubscriptionCode) error {
	_, err := db.Q("insert-subscription-code").ExecContext(ctx, c.Code, c.UnitID, c.AgencyID, c.Schedule,
		c.Language, c.Alerts, db.Now().UnixMilli(), c.ExpiresAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("subscription code: %w", ErrConflict)
	}
	return wrap(err, "create subscription code")
}

// FindSubscriptionCode returns a code as stored, used or not, or ErrNotFound.
func (db *DB) FindSubscriptionCode(ctx context.Context, code string) (SubscriptionCode, error) {
	var c SubscriptionCode
	err := db.Q("find-subscription-code").GetContext(ctx, &c, code)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("subscription code: %w", ErrNotFound)
	}
	return c, wrap(err, "subscription code")
}

// RedeemSubscriptionCode marks a code used at `at` and returns it. It returns ErrNotFound for
// an unknown code, ErrCodeUsed or ErrCodeExpired; a code is redeemed once.
func (tx *Tx) RedeemSubscriptionCode(code string, at int64) (SubscriptionCode, error) {
	var c SubscriptionCode
	err := tx.Q("find-subscription-code").GetContext(tx.ctx, &c, code)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return c, fmt.Errorf("subscription code: %w", ErrNotFound)
	case err != nil:
		return c, wrap(err, "subscription code")
	case c.UsedAt != nil:
		return c, ErrCodeUsed
	case c.ExpiresAt <= at:
		return c, ErrCodeExpired
	}
	res, err := tx.Q("use-subscription-code").ExecContext(tx.ctx, at, code)
	if err != nil {
		return c, wrap(err, "use subscription code")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return c, ErrCodeUsed
	}
	return c, nil
}

// FindSubscriberByID returns a subscriber within the transaction, or ErrNotFound.
func (tx *Tx) FindSubscriberByID(id int64) (Subscriber, error) {
	var s Subscriber
	err := tx.Q("find-subscriber").GetContext(tx.ctx, &s, id)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("subscriber %d: %w", id, ErrNotFound)
	}
	return s, wrap(err, "subscriber %d", id)
}
