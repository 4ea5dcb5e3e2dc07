package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// subscriberServer serves the subscriber routes alone (apiRoutes adds the bearer check).
func subscriberServer(t *testing.T, db *storage.DB) http.Handler {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUK-MLG", Name: "Dukcapil Malang", Agency: "DUKCAPIL", Population: 1000}); err != nil {
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Location: time.UTC}}
	mux := http.NewServeMux()
	s.subscriberRoutes(func(p string, h http.HandlerFunc, params ...string) { mux.HandleFunc(p, withParams(h, params)) })
	return mux
}

func send(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func TestSubscribersAPI(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := subscriberServer(t, db)
		steps := []struct {
			name, method, path, body string
			status                   int
			want                     []string // substrings of the body
		}{
			{"a unit's head is subscribed with the defaults", "POST", "/api/v1/subscribers",
				`{"unit":"DUK-MLG","channel":"telegram","address":"123456","alerts":true}`, 201,
				[]string{`"id":1`, `"unit":"DUK-MLG"`, `"schedule":"0 7 * * 1"`, `"language":"id"`, `"alerts":true`}},
			{"an agency's head is subscribed monthly in English", "POST", "/api/v1/subscribers",
				`{"agency":"DUKCAPIL","channel":"whatsapp","address":"+6281234567890","schedule":"0 8 1 * *","language":"en"}`, 201,
				[]string{`"agency":"DUKCAPIL"`, `"address":"6281234567890"`, `"schedule":"0 8 1 * *"`}},
			{"the province's head needs no unit", "POST", "/api/v1/subscribers",
				`{"unit":"","channel":"telegram","address":"-1001"}`, 201, []string{`"unit":""`, `"agency":""`}},
			{"the same unit's head again is refused, naming the subscription", "POST", "/api/v1/subscribers",
				`{"unit":"DUK-MLG","channel":"telegram","address":"123456","schedule":"0 7 1 * *"}`, 409,
				[]string{`"error":"Alamat telegram 123456 sudah berlangganan ringkasan yang sama sebagai pelanggan 1`, `DELETE /api/v1/subscribers/1`}},
			{"a WhatsApp number written locally is the same number", "POST", "/api/v1/subscribers",
				`{"agency":"DUKCAPIL","channel":"whatsapp","address":"0812-3456-7890"}`, 409, []string{`whatsapp 6281234567890`, `pelanggan 2`}},
			{"the province from the same chat again is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"-01001"}`, 409, []string{`telegram -1001`, `pelanggan 3`}},
			{"the same chat may follow a unit besides the province", "POST", "/api/v1/subscribers",
				`{"unit":"DUK-MLG","channel":"telegram","address":"-1001"}`, 201, []string{`"unit":"DUK-MLG"`, `"address":"-1001"`}},
			{"an agency's code in another case is the agency, named as stored", "POST", "/api/v1/subscribers",
				`{"agency":"dukcapil","channel":"telegram","address":"77"}`, 201, []string{`"agency":"DUKCAPIL"`}},
			{"a bad cron expression is refused naming the field", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","schedule":"every monday"}`, 400, []string{`"error":"\"schedule\": \"every monday\" bukan jadwal: tulis ekspresi cron`, `(\"schedule\": \"every monday\" is not a schedule`}},
			{"a wrong type is named by its JSON field", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","alerts":"yes"}`, 400, []string{`"error":"Kolom \"alerts\" harus true atau false (field \"alerts\" must be true or false, not string)"`}},
			{"a fixed delay is refused, saying what is accepted", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","schedule":"@every -5m"}`, 400, []string{`@daily, @weekly, @monthly or @yearly`}},
			{"a schedule that never comes is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","schedule":"0 8 31 2 *"}`, 400, []string{`never comes`}},
			{"a Telegram chat id too long for Telegram is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"99999999999999999999"}`, 400, []string{`Telegram chat id`}},
			{"an unknown channel is refused", "POST", "/api/v1/subscribers",
				`{"channel":"sms","address":"1"}`, 400, []string{`\"channel\" must be`}},
			{"a missing address is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram"}`, 400, []string{`\"address\" is required`}},
			{"a WhatsApp address must be a number", "POST", "/api/v1/subscribers",
				`{"channel":"whatsapp","address":"budi"}`, 400, []string{`WhatsApp number`}},
			{"an unknown language is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","language":"jv"}`, 400, []string{`\"language\"`}},
			{"an unknown unit is refused", "POST", "/api/v1/subscribers",
				`{"unit":"NOPE","channel":"telegram","address":"1"}`, 422, []string{`unit \"NOPE\" not found`}},
			{"a unit and an agency together are refused", "POST", "/api/v1/subscribers",
				`{"unit":"DUK-MLG","agency":"DUKCAPIL","channel":"telegram","address":"1"}`, 400, []string{`not both`}},
			{"an unknown field is refused", "POST", "/api/v1/subscribers",
				`{"channel":"telegram","address":"1","when":"monday"}`, 400, []string{`unknown field`}},
			{"subscribers are listed oldest first", "GET", "/api/v1/subscribers", "", 200,
				[]string{`[{"id":1,`, `"id":3`}},
			{"a subscriber is deleted", "DELETE", "/api/v1/subscribers/1", "", 204, nil},
			{"a deleted subscriber is not found", "DELETE", "/api/v1/subscribers/1", "", 404, []string{`not found`}},
			{"a subscriber id must be a number", "DELETE", "/api/v1/subscribers/x", "", 400, []string{`whole number`}},
			{"a one-time code is created for a unit", "POST", "/api/v1/subscribers/codes",
				`{"unit":"DUK-MLG","alerts":true}`, 201, []string{`"code":"`, `"expires_at":"`, `"command":"/langganan `}},
			{"a code with a bad schedule is refused", "POST", "/api/v1/subscribers/codes",
				`{"schedule":"61 * * * *"}`, 400, []string{`\"schedule\"`}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				rec := send(h, st.method, st.path, st.body)
				if rec.Code != st.status {
					t.Fatalf("status %d, want %d; body %s", rec.Code, st.status, rec.Body)
				}
				for _, w := range st.want {
					if !strings.Contains(rec.Body.String(), w) {
						t.Errorf("body %s\nwant it to contain %s", rec.Body, w)
					}
				}
			})
		}
		var code struct {
			Code      string `json:"code"`
			ExpiresAt string `json:"expires_at"`
		}
		json.Unmarshal(send(h, "POST", "/api/v1/subscribers/codes", `{}`).Body.Bytes(), &code)
		if len(code.Code) != 8 || strings.ContainsAny(code.Code, "01IOL") {
			t.Errorf("code %q is not 8 unambiguous characters", code.Code)
		}
		if exp, err := time.Parse(time.RFC3339, code.ExpiresAt); err != nil || exp.Sub(db.Now()) < 6*24*time.Hour {
			t.Errorf("expires_at %q, %v: want a week from now", code.ExpiresAt, err)
		}
	})
}

// A subscriber whose channel is off on this server is stored, and told so: its digests wait
// in the outbox until the channel is on, where before nothing said they would not go out.
func TestASubscriberOfAChannelThatIsOffIsWarned(t *testing.T) {
	db := storagetest.SQLite(t)
	if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUK-MLG", Name: "Dukcapil Malang"}); err != nil {
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Location: time.UTC,
		Health: func() map[string]string {
			return map[string]string{"Telegram": "disabled", "WhatsApp": "down: terputus"}
		}}}
	mux := http.NewServeMux()
	s.subscriberRoutes(func(p string, h http.HandlerFunc, params ...string) { mux.HandleFunc(p, withParams(h, params)) })
	for _, tt := range []struct {
		body, want string
		warned     bool
	}{
		{`{"channel":"telegram","address":"123"}`, `"warning":"Telegram tidak aktif di server ini`, true},
		{`{"channel":"whatsapp","address":"6281234567890"}`, `"address":"6281234567890"`, false}, // on, if not connected now
	} {
		rec := send(mux, "POST", "/api/v1/subscribers", tt.body)
		if rec.Code != 201 || !strings.Contains(rec.Body.String(), tt.want) || strings.Contains(rec.Body.String(), "warning") != tt.warned {
			t.Errorf("%s: %d %s", tt.body, rec.Code, rec.Body)
		}
	}
}
