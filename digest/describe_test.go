package digest

import (
	"strings"
	"testing"
	"time"

	"sukma/storage"
)

func TestSchedulesAreDescribedInWords(t *testing.T) {
	for _, tt := range []struct{ expr, id, en string }{
		{"0 7 * * *", "setiap hari pukul 07.00", "every day at 07:00"},
		{"30 6 * * 1", "setiap Senin pukul 06.30", "every Monday at 06:30"},
		{"0 7 * * 7", "setiap Minggu pukul 07.00", "every Sunday at 07:00"},
		{"0 7 * * 1-5", "setiap Senin–Jumat pukul 07.00", "every Monday–Friday at 07:00"},
		{"0 7 * * MON-FRI", "setiap Senin–Jumat pukul 07.00", "every Monday–Friday at 07:00"},
		{"0 7 * * 1,3,5", "setiap Senin, Rabu dan Jumat pukul 07.00", "every Monday, Wednesday and Friday at 07:00"},
		{"0 7 * * 6,0", "setiap Sabtu dan Minggu pukul 07.00", "every Saturday and Sunday at 07:00"},
		{"0 7 * * 0-6", "setiap hari pukul 07.00", "every day at 07:00"},
		{"0 7 1 * *", "setiap tanggal 1 pukul 07.00", "on day 1 of every month at 07:00"},
		{"0 7 1,16 * *", "setiap tanggal 1 dan 16 pukul 07.00", "on day 1 and 16 of every month at 07:00"},
		{"0 7 1 1,4,7,10 *", "setiap triwulan (1 Jan, Apr, Jul, Okt) pukul 07.00", "every quarter (1 Jan, Apr, Jul, Oct) at 07:00"},
		{"0 7 1 */3 *", "setiap triwulan (1 Jan, Apr, Jul, Okt) pukul 07.00", "every quarter (1 Jan, Apr, Jul, Oct) at 07:00"},
		{"0 7 1 1,7 *", "setiap semester (1 Jan, Jul) pukul 07.00", "every half-year (1 Jan, Jul) at 07:00"},
		{"0 7 5 1 *", "setiap tanggal 5 Januari pukul 07.00", "every year on 5 January at 07:00"},
		{"0 7 1 2,5,8 *", "setiap tanggal 1 bulan Feb, Mei, Agu pukul 07.00", "on day 1 of Feb, May, Aug at 07:00"},
		{"@daily", "setiap hari pukul 00.00", "every day at 00:00"},
		{"@weekly", "setiap Minggu pukul 00.00", "every Sunday at 00:00"},
		{"@monthly", "setiap tanggal 1 pukul 00.00", "on day 1 of every month at 00:00"},
		{"@yearly", "setiap tanggal 1 Januari pukul 00.00", "every year on 1 January at 00:00"},
		// anything else stays the expression
		{"0 7 1 * 1", `menurut jadwal "0 7 1 * 1"`, `on the schedule "0 7 1 * 1"`}, // cron's day OR weekday
		{"0 7,13 * * *", `menurut jadwal "0 7,13 * * *"`, `on the schedule "0 7,13 * * *"`},
		{"0 * * * *", `menurut jadwal "0 * * * *"`, `on the schedule "0 * * * *"`},
		{"0 7 * 1 *", `menurut jadwal "0 7 * 1 *"`, `on the schedule "0 7 * 1 *"`},
	} {
		if got := describeSchedule(tt.expr, "id"); got != tt.id {
			t.Errorf("%q in Indonesian: %q, want %q", tt.expr, got, tt.id)
		}
		if got := describeSchedule(tt.expr, "en"); got != tt.en {
			t.Errorf("%q in English: %q, want %q", tt.expr, got, tt.en)
		}
	}
}

func TestTheConfirmationWarnsOfADigestAtNight(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, jakarta)
	for _, tt := range []struct {
		schedule string
		night    bool
	}{{"@monthly", true}, {"0 22 * * 5", true}, {"59 5 * * *", true}, {"0 7 1 1,4,7,10 *", false}, {"0 21 * * *", true}, {"0 6 * * *", false}} {
		got := Confirmation(storage.Subscriber{Schedule: tt.schedule}, now, jakarta)
		if strings.Contains(got, "malam hari") != tt.night {
			t.Errorf("%q: night hint %v, want %v:\n%s", tt.schedule, !tt.night, tt.night, got)
		}
	}
	got := Confirmation(storage.Subscriber{Schedule: "0 7 1 1,4,7,10 *"}, now, jakarta)
	if !strings.Contains(got, "ringkasan SKM untuk seluruh unit beserta peringkatnya setiap triwulan (1 Jan, Apr, Jul, Okt) pukul 07.00 (WIB)") {
		t.Errorf("quarterly confirmation:\n%s", got)
	}
}

// An agency's name may have brackets of its own ("… (demo)"): the confirmation adds none
// after it.
func TestAnAgencysConfirmationAddsNoBracketsAfterItsName(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, jakarta)
	agency := int64(1)
	got := Confirmation(storage.Subscriber{AgencyID: &agency, AgencyName: "Rumah Sakit Umum Daerah (demo)", Schedule: "0 7 * * 1"}, now, jakarta)
	if !strings.Contains(got, "ringkasan SKM untuk semua unit Rumah Sakit Umum Daerah (demo) beserta peringkatnya setiap Senin pukul 07.00 (WIB), berisi") {
		t.Errorf("an agency's confirmation:\n%s", got)
	}
	got = Confirmation(storage.Subscriber{AgencyID: &agency, AgencyName: "Rumah Sakit Umum Daerah (demo)", Schedule: "0 7 * * 1", Language: "en"}, now, jakarta)
	if !strings.Contains(got, "SKM digest for all units of Rumah Sakit Umum Daerah (demo) with their ranking every Monday at 07:00 (WIB):") {
		t.Errorf("an agency's confirmation in English:\n%s", got)
	}
}
