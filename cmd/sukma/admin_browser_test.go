package main

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"sukma/storage"
	"sukma/storage/storagetest"
	"sukma/web/admin"
)

// subscriberForm is what the new-subscriber form of the admin's subscribers page holds.
type subscriberForm struct {
	Channel, Address, Scope, Schedule, Language string
	Alerts                                      bool
}

var readSubscriberForm = chromedp.Evaluate[subscriberForm](`(function(){
	var f = document.getElementById("new-subscriber").elements;
	return {Channel: f.channel.value, Address: f.address.value, Scope: f.scope.value, Schedule: f.schedule.value,
		Language: f.language.value, Alerts: f.alerts.checked};
})()`)

// A form sent after the session ended (here, signed out in another tab) reaches the sign-in
// page, which says it was not saved; once signed in again, the admin is back on the page,
// with the form holding what was sent, and a note saying so.
func TestAFormSentAfterTheSessionEndedComesBackAfterSigningIn(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	const password = "kata-sandi-kepala-1"
	hash, err := admin.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB.CreateAdmin(context.Background(), storage.NewAdmin{Username: "kepala", PasswordHash: hash, Role: storage.RoleProvince}); err != nil {
		t.Fatal(err)
	}
	// A click that sends a form is made once the script has returned: the page it leaves
	// would otherwise end the script's context under it.
	press := func(selector string) chromedp.Action[chromedp.Void] {
		return eval(`setTimeout(function(){ document.querySelector("` + selector + `").click(); }, 0)`)
	}
	signIn := chromedp.Steps(chromedp.WaitVisible(chromedp.ID("username")), chromedp.SetValue(chromedp.ID("username"), "kepala"),
		chromedp.SetValue(chromedp.ID("password"), password), press("#login"))
	want := subscriberForm{Channel: "whatsapp", Address: "0812 3456 7890", Scope: "unit:DEMO", Schedule: "0 7 * * *", Language: "en"}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login"), signIn, pollPage(`document.getElementById("logout") !== null`, 15e9),
		chromedp.Navigate(base+"/admin/subscribers"), chromedp.WaitVisible(chromedp.ID("new-subscriber")),
		eval(`(function(){
			var f = document.getElementById("new-subscriber").elements;
			f.channel.value = "whatsapp"; f.address.value = "0812 3456 7890"; f.scope.value = "unit:DEMO";
			f.schedule.value = "0 7 * * *"; f.language.value = "en"; f.alerts.checked = false;
		})()`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB.Exec("DELETE FROM admin_sessions"); err != nil { // signed out elsewhere
		t.Fatal(err)
	}
	// The sign-in page says the session ended, and its script has kept the form on (before
	// that, a click faster than anyone's would leave the form behind).
	kept := `document.getElementById("session-ended") !== null && (JSON.parse(sessionStorage.getItem("sukma:unsent-form")) || {}).ended === true`
	err = chromedp.Do(ctx, press("#new-subscriber button[type=submit]"), pollPage(kept, 15e9), signIn,
		pollPage(`document.getElementById("unsent-restored") !== null`, 15e9))
	if err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("browser: %v\npage: %s", err, html)
	}
	got, err := chromedp.Run(ctx, readSubscriberForm)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("back on the page, the form holds %+v, want what was sent, %+v", got, want)
	}
	if subs, err := app.DB.FindSubscribers(context.Background()); err != nil || len(subs) != 0 {
		t.Errorf("%d subscribers (%v): the form sent without a session was saved", len(subs), err)
	}
	// A reload is another page: what was kept is not put back twice.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("new-subscriber"))); err != nil {
		t.Fatal(err)
	}
	if again, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unsent-restored") !== null`)); err != nil || again {
		t.Errorf("reloaded, the form is put back again: %v %v", again, err)
	}
}
