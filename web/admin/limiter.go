package admin

import (
	"fmt"
	"time"

	"sukma/storage"
)

// signInLimit allows five failed sign-ins at once per client address and per username, then
// one more every 12 seconds: five a minute. Only failures count, so an office of fifty behind
// one address signs in all morning. The count is in the database, shared by every replica.
var signInLimit = storage.SignInLimit{Burst: 5, Every: 12 * time.Second}

// waitText says how long to wait, in whole seconds, in the language.
func waitText(d time.Duration, lang string) string {
	secs := int(d.Seconds() + 0.999)
	if lang == "en" {
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d detik", secs)
}
