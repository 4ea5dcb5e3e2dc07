package admin

import (
	"testing"

	"sukma/storage/storagetest"
)

func TestEveryPageTemplateParses(t *testing.T) {
	s := New(Deps{DB: storagetest.SQLite(t)})
	for _, name := range []string{"login", "password", "message", "dashboard", "units", "unit", "poster", "flows", "flow", "admins", "channels", "subscribers"} {
		if s.pages[name] == nil {
			t.Errorf("no page %s", name)
		}
	}
}
