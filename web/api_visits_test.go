package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
	"sukma/web"
)

type linksJSON struct {
	Token       string `json:"token"`
	TelegramURL string `json:"telegram_url"`
	WhatsAppURL string `json:"whatsapp_url"`
	WebURL      string `json:"web_url"`
	QRURL       string `json:"qr_url"`
	ExpiresAt   string `json:"expires_at"`
}

var tokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func decodeLinks(t *testing.T, rec *httptest.ResponseRecorder, status int) linksJSON {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	var l linksJSON
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		t.Fatalf("body: %v", err)
	}
	return l
}

var now = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

func TestVisitsGiveASingleUseTokenAndItsLinks(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		tests := []struct {
			name        string
			deps        func(*web.Deps)
			body        string
			service     string
			tg, wa, exp string // with <T> for the token
		}{
			{"a visit to a unit has web links only when no bot is on", nil,
				`{"unit":"SAMSAT-SBY"}`, "", "", "", "2026-03-09T01:30:00Z"},
			{"a visit for a service records the service", nil,
				`{"unit":"SAMSAT-SBY","service":"STNK"}`, "STNK", "", "", "2026-03-09T01:30:00Z"},
			{"a visit has Telegram and WhatsApp links when they are on, and expires in SUKMA_TIMEZONE",
				func(d *web.Deps) {
					d.TelegramBot = func() string { return "SukmaBot" }
					d.WhatsAppNumber = "6281234567890"
					d.Location = wib
				},
				`{"unit":"SAMSAT-SBY","service":""}`, "",
				"https://t.me/SukmaBot?start=<T>", "https://wa.me/6281234567890?text=SKM%20<T>", "2026-03-09T08:30:00+07:00"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var deps []func(*web.Deps)
				if tt.deps != nil {
					deps = append(deps, tt.deps)
				}
				l := decodeLinks(t, call(t, newAPI(t, db, deps...), "POST", "/api/v1/visits", bearer, tt.body), 201)
				if !tokenShape.MatchString(l.Token) || len(l.Token) != 43 {
					t.Errorf("token %q is not 43 characters of [A-Za-z0-9_-]", l.Token)
				}
				fill := func(s string) string { return strings.ReplaceAll(s, "<T>", l.Token) }
				want := linksJSON{
					Token: l.Token, TelegramURL: fill(tt.tg), WhatsAppURL: fill(tt.wa),
					WebURL: "http://sukma.test/s/" + l.Token, QRURL: "http://sukma.test/api/v1/visits/" + l.Token + "/qr.png",
					ExpiresAt: tt.exp,
				}
				if l != want {
					t.Errorf("got  %+v\nwant %+v", l, want)
				}
				v, err := db.FindVisit(ctx, l.Token)
				if err != nil {
					t.Fatal(err)
				}
				if v.UnitCode != "SAMSAT-SBY" || v.ServiceCode != tt.service || v.FlowID != "skm" || v.UsedAt != nil ||
					v.ExpiresAt != now.Add(7*24*time.Hour).UnixMilli() {
					t.Errorf("stored %+v", v)
				}
			})
		}
		t.Run("two visits get different tokens", func(t *testing.T) {
			h := newAPI(t, db)
			a := decodeLinks(t, call(t, h, "POST", "/api/v1/visits", bearer, `{"unit":"SAMSAT-SBY"}`), 201)
			b := decodeLinks(t, call(t, h, "POST", "/api/v1/visits", bearer, `{"unit":"SAMSAT-SBY"}`), 201)
			if a.Token == b.Token {
				t.Errorf("both tokens are %q", a.Token)
			}
		})
	})
}

// checkQR asserts a PNG QR code of content.
func checkQR(t *testing.T, rec *httptest.ResponseRecorder, content string) {
	t.Helper()
	if rec.Code != 200 {
		t.Fatalf("status %d; body %s", rec.Code, rec.Body)
	}
	if ct, cc := rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"); ct != "image/png" || cc != "private, max-age=86400" {
		t.Errorf("Content-Type %q, Cache-Control %q", ct, cc)
	}
	img, err := png.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 256 || b.Dy() < 256 {
		t.Errorf("image is %v, want at least 256×256", b)
	}
	// The encoder is deterministic, so the same link gives the same picture.
	want, err := qrcode.Encode(content, qrcode.Medium, 512)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Errorf("the QR code does not encode %q", content)
	}
}

func TestQRCodesCarryTheSurveyLink(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		clock := now
		db.Now = func() time.Time { return clock }
		web1 := newAPI(t, db)
		wa := newAPI(t, db, func(d *web.Deps) { d.WhatsAppNumber = "6281234567890" })
		visit := decodeLinks(t, call(t, web1, "POST", "/api/v1/visits", bearer, `{"unit":"SAMSAT-SBY"}`), 201)

		t.Run("a visit's QR code holds the web link when WhatsApp is off, without a bearer token", func(t *testing.T) {
			checkQR(t, call(t, web1, "GET", "/api/v1/visits/"+visit.Token+"/qr.png", "", ""), visit.WebURL)
		})
		t.Run("a visit's QR code holds the WhatsApp link when WhatsApp is on", func(t *testing.T) {
			checkQR(t, call(t, wa, "GET", "/api/v1/visits/"+visit.Token+"/qr.png", "", ""), "https://wa.me/6281234567890?text=SKM%20"+visit.Token)
		})

		var standing linksJSON
		t.Run("a unit's standing link is created once", func(t *testing.T) {
			standing = decodeLinks(t, call(t, web1, "POST", "/api/v1/units/SAMSAT-SBY/standing", bearer, ""), 201)
			want := linksJSON{
				Token: standing.Token, WebURL: "http://sukma.test/s/" + standing.Token,
				QRURL: "http://sukma.test/api/v1/standing/" + standing.Token + "/qr.png",
			}
			if standing != want || !tokenShape.MatchString(standing.Token) {
				t.Errorf("got  %+v\nwant %+v", standing, want)
			}
		})
		t.Run("asking again returns the same standing link, with no body, {} or blanks", func(t *testing.T) {
			for _, body := range []string{"", "{}", " \n"} {
				again := decodeLinks(t, call(t, web1, "POST", "/api/v1/units/SAMSAT-SBY/standing", bearer, body), 200)
				if again != standing {
					t.Errorf("body %q: got %+v, first %+v", body, again, standing)
				}
			}
		})
		t.Run("the standing token finds its unit", func(t *testing.T) {
			u, err := db.FindUnitByStandingToken(context.Background(), standing.Token)
			if err != nil || u.Code != "SAMSAT-SBY" {
				t.Errorf("unit %+v, %v", u, err)
			}
		})
		t.Run("the standing QR code holds the standing link, without a bearer token", func(t *testing.T) {
			checkQR(t, call(t, web1, "GET", "/api/v1/standing/"+standing.Token+"/qr.png", "", ""), standing.WebURL)
			checkQR(t, call(t, wa, "GET", "/api/v1/standing/"+standing.Token+"/qr.png", "", ""), "https://wa.me/6281234567890?text=SKM%20"+standing.Token)
		})
		t.Run("a retired unit's standing QR code is gone", func(t *testing.T) {
			other, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "RETIRED", Name: "Unit Lama"})
			if err != nil {
				t.Fatal(err)
			}
			link := decodeLinks(t, call(t, web1, "POST", "/api/v1/units/RETIRED/standing", bearer, ""), 201)
			if err := db.RetireUnit(context.Background(), other.ID); err != nil {
				t.Fatal(err)
			}
			if rec := call(t, web1, "GET", "/api/v1/standing/"+link.Token+"/qr.png", "", ""); rec.Code != 404 {
				t.Errorf("the QR code of a retired unit's standing link: %d, want 404", rec.Code)
			}
		})
		t.Run("by unit code, the standing QR code needs the bearer token", func(t *testing.T) {
			if rec := call(t, web1, "GET", "/api/v1/units/SAMSAT-SBY/standing/qr.png", "", ""); rec.Code != 401 {
				t.Errorf("without the token: %d, want 401", rec.Code)
			}
			checkQR(t, call(t, web1, "GET", "/api/v1/units/SAMSAT-SBY/standing/qr.png", bearer, ""), standing.WebURL)
		})
		t.Run("an expired visit's QR code is gone", func(t *testing.T) {
			clock = now.Add(7*24*time.Hour + time.Millisecond)
			rec := call(t, web1, "GET", "/api/v1/visits/"+visit.Token+"/qr.png", "", "")
			if got := errorOf(t, rec); rec.Code != 410 || got != "Kunjungan ini sudah kedaluwarsa: buat yang baru dengan POST /api/v1/visits (this visit has expired: create a new one with POST /api/v1/visits)" {
				t.Errorf("%d %q", rec.Code, got)
			}
		})
	})
}

// cloudOn is the WhatsApp Cloud API as the web layer sees it: its webhook is served.
func cloudOn(d *web.Deps) {
	d.WhatsAppInvites = true
}

func TestAVisitWithAPhoneInvitesTheCitizenOnWhatsApp(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		db.Now = func() time.Time { return now }
		api := newAPI(t, db, cloudOn)
		outbox := func() []storage.OutboxMessage {
			var ms []storage.OutboxMessage
			if err := db.Select(&ms, "SELECT id, channel, chat_id, body, attempts FROM outbox ORDER BY id"); err != nil {
				t.Fatal(err)
			}
			return ms
		}

		t.Run("the invitation is queued as the template, with the survey code", func(t *testing.T) {
			rec := call(t, api, "POST", "/api/v1/visits", bearer, `{"unit":"SAMSAT-SBY","phone":"+6281234567890"}`)
			var got struct {
				Token      string `json:"token"`
				Invitation string `json:"whatsapp_invitation"`
			}
			if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.Invitation != "queued" {
				t.Fatalf("%d %s, want 201 with the invitation queued", rec.Code, rec.Body)
			}
			ms := outbox()
			if len(ms) != 1 || ms[0].Channel != "whatsapp" || ms[0].ChatID != "6281234567890" {
				t.Fatalf("outbox %+v, want one WhatsApp message to 6281234567890", ms)
			}
			var r bot.Reply
			if err := json.Unmarshal([]byte(ms[0].Body), &r); err != nil || r.Template == nil || r.Text != "" ||
				strings.Join(r.Template.Params, ",") != got.Token || r.Template.Name != "" {
				t.Errorf("body %s, want the configured template with the token %s", ms[0].Body, got.Token)
			}
			if strings.Contains(rec.Body.String(), "6281234567890") {
				t.Errorf("the answer shows the number: %s", rec.Body)
			}
		})

		tests := []struct {
			name   string
			deps   func(*web.Deps)
			phone  string
			status int
			want   string
		}{
			{"a phone is refused when the Cloud API is off", nil, "6281234567890", 422, "needs the WhatsApp Cloud API, which is off"},
			{"a local number is refused", cloudOn, "081234567890", 400, "starting with 62"},
			{"a number with spaces is refused", cloudOn, "62 812 3456 7890", 400, "without spaces"},
			{"a number too short is refused", cloudOn, "62812345", 400, "10 to 15 digits"},
			{"a number too long is refused", cloudOn, "6281234567890123", 400, "10 to 15 digits"},
			{"a number with letters is refused", cloudOn, "62812abc67890", 400, "10 to 15 digits"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var deps []func(*web.Deps)
				if tt.deps != nil {
					deps = append(deps, tt.deps)
				}
				before := len(outbox())
				rec := call(t, newAPI(t, db, deps...), "POST", "/api/v1/visits", bearer, `{"unit":"SAMSAT-SBY","phone":"`+tt.phone+`"}`)
				if got := errorOf(t, rec); rec.Code != tt.status || !strings.Contains(got, tt.want) {
					t.Errorf("%d %q, want %d containing %q", rec.Code, got, tt.status, tt.want)
				}
				if n := len(outbox()); n != before {
					t.Errorf("the outbox went from %d to %d messages", before, n)
				}
			})
		}
	})
}
