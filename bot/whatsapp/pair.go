package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types/events"
)

// Errors of Pair.
var (
	// ErrAlreadyPaired means an account is linked already; unlink it from the phone first.
	ErrAlreadyPaired = errors.New("a WhatsApp account is linked already")
	// ErrPairTimeout means no one scanned the QR codes (or entered the code) in time.
	ErrPairTimeout = errors.New("pairing timed out: no QR code was scanned in time")
)

// Pairing says how to link an account: by QR code (Phone empty) or by an 8-character code
// entered on the phone (Phone in international form, 62…).
type Pairing struct {
	Phone  string
	QR     func(code string) // shows one QR code; a new one comes about every 20 seconds
	Code   func(code string) // shows the pairing code for Phone
	Logger *slog.Logger
}

// Pair links a WhatsApp account as a device of this Sukma, storing its keys in container,
// and returns the account's number. It returns ErrAlreadyPaired (with the number) when one is
// linked, ErrPairTimeout when nobody scanned in time, or the pairing error.
func Pair(ctx context.Context, container *sqlstore.Container, p Pairing) (string, error) {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	dev, err := container.GetFirstDevice(ctx)
	if err != nil {
		return "", fmt.Errorf("whatsapp: read the device store: %w", err)
	}
	if dev.ID != nil {
		return dev.ID.User, ErrAlreadyPaired
	}
	wm := whatsmeow.NewClient(dev, Log(p.Logger, "pair"))
	connected := make(chan struct{}, 1)
	wm.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			select {
			case connected <- struct{}{}:
			default:
			}
		}
	})
	qr, err := wm.GetQRChannel(ctx)
	if err != nil {
		return "", fmt.Errorf("whatsapp: %w", err)
	}
	if err := wm.Connect(); err != nil {
		return "", fmt.Errorf("whatsapp: cannot reach WhatsApp: %s", maskAll(err.Error()))
	}
	defer wm.Disconnect()
	codeShown := false
	for item := range qr {
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			if p.Phone == "" {
				p.QR(item.Code)
				continue
			}
			if !codeShown {
				code, err := wm.PairPhone(ctx, p.Phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
				if err != nil {
					return "", fmt.Errorf("whatsapp: pairing code: %w", err)
				}
				p.Code(code)
				codeShown = true
			}
		case whatsmeow.QRChannelSuccess.Event:
			// The phone finishes the setup on the next connection; wait for it briefly so the
			// first `sukma serve` does not start half-linked.
			select {
			case <-connected:
			case <-time.After(30 * time.Second):
			case <-ctx.Done():
			}
			if wm.Store.ID == nil {
				return "", errors.New("whatsapp: pairing reported success but no account is stored")
			}
			return wm.Store.ID.User, nil
		case whatsmeow.QRChannelTimeout.Event:
			return "", ErrPairTimeout
		case whatsmeow.QRChannelEventError:
			return "", fmt.Errorf("whatsapp: pairing failed: %w", item.Error)
		case whatsmeow.QRChannelClientOutdated.Event:
			return "", errors.New("whatsapp: WhatsApp refuses this client version; update sukma")
		default:
			return "", fmt.Errorf("whatsapp: pairing failed (%s)", item.Event)
		}
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return "", ErrPairTimeout
}
