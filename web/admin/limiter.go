package admin

import (
	"fmt"
	"time"

	"sukma/storage"
)

// signInLimit allows five failed sign-ins at once per client address, then one more every
// 12 seconds: five a minute. Only failures count, so an office of fifty behind one address
// signs in all morning. The count is in the database, shared by every replica.
//
// It is not kept per username: then anyone, from anywhere, could keep an admin out with one
// wrong password every 12 seconds, and the admin's right password would be refused too. (A
// per username and address limit would only repeat this one.) A username is held to
// userSignInLimit instead, across all addresses.
var signInLimit = storage.SignInLimit{Burst: 5, Every: 12 * time.Second}

// userSignInLimit bounds the guessing of one username's password from many addresses: thirty
// failures a minute in all. To keep its admin out, a guesser must fail from more than six
// addresses at once, each at its own limit, for as long as the lockout is to last.
//
// Both limits fill up again in a minute (Burst × Every): SignInWait forgets the buckets that
// are full under the limit it is given, so a slower limit would lose its failures to the
// other's calls.
var userSignInLimit = storage.SignInLimit{Burst: 30, Every: 2 * time.Second}

// waitText says how long to wait, in whole seconds, in the language.
func waitText(d time.Duration, lang string) string {
	secs := int(d.Seconds() + 0.999)
	if lang == "en" {
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d detik", secs)
}
