package webchat

import (
	"context"
	"errors"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// surveys reads what the page needs of the engine's database beyond the engine's replies:
// whether a link is a unit's standing link, and the day where the units are (see
// Handler.why).
type surveys struct {
	db  *storage.DB
	loc *time.Location // the engine's, whose days a standing link counts
}

// surveysOf returns the surveys of engine e's database, or nil when e is not the engine
// (a test's): the page then hears the replies alone.
func surveysOf(e Engine) *surveys {
	if be, ok := e.(*bot.Engine); ok && be.DB != nil {
		loc := be.Location
		if loc == nil {
			loc = time.UTC
		}
		return &surveys{db: be.DB, loc: loc}
	}
	return nil
}

// standing returns the unit whose standing link token is, and false if it is none's.
func (s *surveys) standing(ctx context.Context, token string) (storage.Unit, bool, error) {
	u, err := s.db.FindUnitByStandingToken(ctx, token)
	if errors.Is(err, storage.ErrNotFound) {
		return u, false, nil
	}
	return u, err == nil, err
}

// today is the date of today where the units are, as 2006-01-02.
func (s *surveys) today() string { return s.db.Now().In(s.loc).Format(time.DateOnly) }
