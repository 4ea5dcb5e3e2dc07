package whatsapp

import (
	"context"
	"errors"
)

// Pair links an account to the device of an Adapter made by Open, as the package's Pair does
// for `sukma whatsapp pair`, but inside the running server (the admin channels page): the
// running Adapter picks the new account up within 30 seconds.
func (a *Adapter) Pair(ctx context.Context, p Pairing) (string, error) {
	if a.device == nil {
		return "", errors.New("whatsapp: this channel has no device store to pair")
	}
	if p.Logger == nil {
		p.Logger = a.opts.Logger
	}
	return Pair(ctx, a.device.container, p)
}

// NeedsPairing reports whether no account is linked (or it was unlinked from the phone).
func (a *Adapter) NeedsPairing() bool {
	st := a.Status().State
	return st == StateUnpaired || st == StateLoggedOut
}
