package webchat

import (
	"context"
	"errors"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// standingLinks tells a unit's standing link from a visit's, in the engine's database, and
// the day where the units are: what the page needs beyond the engine's replies (see
// Handler.why).
type standingLinks struct {
	db  *storage.DB
	loc *time.Location // the engine's, whose days a standing link counts
}

// standingLinksOf returns the standing links of engine e's database, or nil when e is not
// the engine (a test's): the page then hears the replies alone.
func standingLinksOf(e Engine) *standingLinks {
	if be, ok := e.(*bot.Engine); ok && be.DB != nil {
		loc := be.Location
		if loc == nil {
			loc = time.UTC
		}
		return &standingLinks{db: be.DB, loc: loc}
	}
	return nil
}

// unit returns the unit whose standing link token is, and false if it is none's.
func (s *standingLinks) unit(ctx context.Context, token string) (storage.Unit, bool, error) {
	u, err := s.db.FindUnitByStandingToken(ctx, token)
	if errors.Is(err, storage.ErrNotFound) {
		return u, false, nil
	}
	return u, err == nil, err
}

// today is the date of today where the units are, as 2006-01-02.
func (s *standingLinks) today() string { return s.db.Now().In(s.loc).Format(time.DateOnly) }
