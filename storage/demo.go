package storage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"sukma/flows"
	"sukma/scoring"
)

// DemoUnitPrefix starts the code of every demo unit; responses of other units are real.
const DemoUnitPrefix = "DEMO-"

// DemoSetting is the settings key that marks a database as holding demo data.
const DemoSetting = "demo_seeded"

// ErrRealData means the database holds real data that a demo would mix with: responses of
// units that are not demo units, or subscribers, whose digests and alerts would carry it.
var ErrRealData = errors.New("the database holds real data")

// DemoOptions says what SeedDemo creates.
type DemoOptions struct {
	Units     int // demo units, spread over the agencies below
	Months    int // the current month and Months-1 before it
	Responses int // responses per unit per month (the current month's in proportion to its time up to Now)
	Seed      uint64
	// Force seeds even when the database holds real responses.
	Force    bool
	Now      time.Time
	Location *time.Location // local days and office hours; UTC if nil
}

// DemoResult counts what SeedDemo created.
type DemoResult struct {
	Units, Services   int
	Complete, Partial int
	FlowID            string
	FlowVersion       int
	FlowInstalled     bool
}

type demoAgency struct {
	code, name, unitCode, unitName string
	services                       [][2]string // code, name
}

var demoAgencies = []demoAgency{
	{"BAPENDA", "Badan Pendapatan Daerah", "SAMSAT", "Samsat %s", [][2]string{
		{"PKB", "Pembayaran PKB dan pengesahan STNK tahunan"}, {"STNK5", "Penggantian STNK 5 tahunan"},
		{"BBNKB", "Balik nama kendaraan bermotor"}, {"MUTASI", "Mutasi kendaraan"}}},
	{"DISPENDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "DUKCAPIL", "Dispendukcapil %s", [][2]string{
		{"KTPEL", "Perekaman dan pencetakan KTP-el"}, {"KK", "Kartu Keluarga"},
		{"AKTALAHIR", "Akta kelahiran"}, {"PINDAH", "Surat pindah datang"}}},
	{"RSUD", "Rumah Sakit Umum Daerah", "RSUD", "RSUD %s", [][2]string{
		{"RAJAL", "Rawat jalan"}, {"IGD", "Instalasi gawat darurat"},
		{"RANAP", "Rawat inap"}, {"FARMASI", "Pelayanan farmasi"}}},
	{"DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "MPP", "Mal Pelayanan Publik %s", [][2]string{
		{"PBG", "Persetujuan Bangunan Gedung"}, {"NIB", "Nomor Induk Berusaha (OSS)"},
		{"SIP", "Surat izin praktik tenaga kesehatan"}, {"REKLAME", "Izin reklame"}}},
}

var demoCities = [][2]string{
	{"SBY", "Surabaya"}, {"MLG", "Malang"}, {"SDA", "Sidoarjo"}, {"KDR", "Kediri"}, {"JBR", "Jember"},
	{"MDN", "Madiun"}, {"BWI", "Banyuwangi"}, {"GSK", "Gresik"}, {"MJK", "Mojokerto"}, {"PSN", "Pasuruan"},
	{"PBL", "Probolinggo"}, {"BLT", "Blitar"}, {"TBN", "Tuban"}, {"LMG", "Lamongan"}, {"BJN", "Bojonegoro"},
}

// What citizens ask to improve, by the element they scored low.
var demoPerbaikan = [9][]string{
	{"Persyaratan sering berubah, tolong diumumkan dengan jelas.", "Syaratnya terlalu banyak fotokopi."},
	{"Alurnya membingungkan, perlu petunjuk di loket.", "Antrean online sering error."},
	{"Menunggu terlalu lama, lebih dari dua jam.", "Prosesnya lambat, mohon dipercepat."},
	{"Ada biaya tambahan yang tidak jelas.", "Biaya parkir dan fotokopi mahal."},
	{"Hasilnya ada salah ketik, harus kembali lagi.", "Dokumen tidak sesuai yang dijanjikan."},
	{"Petugas kurang paham prosedur.", "Petugas baru masih belajar, mohon dilatih."},
	{"Petugas kurang ramah.", "Ada petugas yang bermain HP saat melayani."},
	{"Pengaduan saya tidak ditanggapi.", "Kotak saran tidak pernah dibuka."},
	{"Ruang tunggu panas dan kursinya kurang.", "Toilet kotor, parkir sempit."},
}

var demoSaran = []string{
	"Terima kasih, pelayanan sudah baik.", "Pertahankan keramahan petugas.",
	"Tambah loket pada jam sibuk.", "Mohon sediakan layanan di hari Sabtu.",
	"Informasi antrean sebaiknya bisa dilihat dari HP.", "Sediakan pojok bermain anak.",
	"Semoga makin cepat dan bebas pungli.", "Perbanyak kursi di ruang tunggu.",
}

type weighted struct {
	value  string
	weight int
}

var (
	demoPendidikan = []weighted{{"SD", 8}, {"SMP", 12}, {"SMA", 40}, {"D1-D3", 12}, {"S1", 22}, {"S2", 5}, {"S3", 1}}
	demoPekerjaan  = []weighted{{"PNS", 12}, {"TNI", 2}, {"POLRI", 2}, {"SWASTA", 35}, {"WIRAUSAHA", 30}, {"LAINNYA", 19}}
	demoChannels   = []weighted{{"telegram", 45}, {"whatsapp", 40}, {"web", 15}}
)

func pick(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.value
		}
		n -= w.weight
	}
	return ws[len(ws)-1].value
}

// demoUnit is a unit being seeded with its character: how good it is, and where it is weak.
type demoUnit struct {
	id       int64
	services []int64
	quality  float64 // the mean score of an average element
	weak     int     // the element citizens complain about
}

// demoBatch is how many responses go in one transaction.
const demoBatch = 2000

// SeedDemo fills the database with synthetic, clearly marked demo data: units whose codes
// start with DemoUnitPrefix and whose names end in "(demo)", their services, and
// o.Responses responses per unit per month over the last o.Months months, with respondents
// and sessions as the schema requires. The same options (Seed and Now included) give the same
// data. It installs the built-in SKM flow if no "skm" flow is published, and records
// DemoSetting. Demo units that exist are reused; their new responses add to the old.
//
// It returns ErrRealData, and changes nothing, if responses of non-demo units or subscribers
// exist and o.Force is false.
func (db *DB) SeedDemo(ctx context.Context, o DemoOptions) (DemoResult, error) {
	var res DemoResult
	if o.Units < 1 || o.Months < 1 || o.Responses < 0 {
		return res, errors.New("demo: units and months must be at least 1, responses at least 0")
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	var real int64
	if err := db.Q("count-real-responses").GetContext(ctx, &real); err != nil {
		return res, wrap(err, "count real responses")
	}
	if real > 0 && !o.Force {
		return res, fmt.Errorf("%w (%d responses of units other than DEMO and %s…)", ErrRealData, real, DemoUnitPrefix)
	}
	var subscribers int64
	if err := db.Q("count-subscribers").GetContext(ctx, &subscribers); err != nil {
		return res, wrap(err, "count subscribers")
	}
	if subscribers > 0 && !o.Force {
		return res, fmt.Errorf("%w (%d subscribers, whose digests and alerts would report the demo)", ErrRealData, subscribers)
	}
	flow, err := db.FindLatestFlow(ctx, "skm")
	if errors.Is(err, ErrNotFound) {
		v, perr := db.PublishFlow(ctx, "skm", flows.Builtin(), "sukma demo seed")
		if perr != nil {
			return res, perr
		}
		flow, err = FlowVersion{ID: "skm", Version: v}, nil
		res.FlowInstalled = true
	}
	if err != nil {
		return res, err
	}
	res.FlowID, res.FlowVersion = flow.ID, flow.Version

	r := rand.New(rand.NewPCG(o.Seed, 0x5e4a))
	units := make([]demoUnit, o.Units)
	for i := range units {
		u, nServices, err := db.demoUnit(ctx, i)
		if err != nil {
			return res, err
		}
		u.quality = 2.9 + 0.7*r.Float64()
		u.weak = r.IntN(9)
		units[i] = u
		res.Services += nServices
	}
	res.Units = len(units)

	s := &demoSeeder{db: db, r: r, loc: loc, flow: flow, now: o.Now, seed: o.Seed}
	start := time.Date(o.Now.In(loc).Year(), o.Now.In(loc).Month()-time.Month(o.Months-1), 1, 0, 0, 0, 0, loc)
	for m := range o.Months {
		from := start.AddDate(0, m, 0)
		to, n := from.AddDate(0, 1, 0), o.Responses
		if to.After(o.Now) {
			// The month under way has its share so far: a month's responses in its first week
			// would show a digest's week four times the one before.
			n = int(math.Round(float64(o.Responses) * float64(o.Now.Sub(from)) / float64(to.Sub(from))))
			to = o.Now
		}
		for i := range units {
			for range n {
				if err := s.add(ctx, &units[i], from, to); err != nil {
					return res, err
				}
			}
		}
	}
	if err := s.flush(ctx); err != nil {
		return res, err
	}
	res.Complete, res.Partial = s.complete, s.partial
	note := fmt.Sprintf("%s units=%d months=%d responses=%d seed=%d", o.Now.UTC().Format(time.RFC3339), o.Units, o.Months, o.Responses, o.Seed)
	if err := db.PutSetting(ctx, DemoSetting, note); err != nil {
		return res, err
	}
	return res, nil
}

// demoUnit creates (or finds) the i-th demo unit and its services.
func (db *DB) demoUnit(ctx context.Context, i int) (demoUnit, int, error) {
	a := demoAgencies[i%len(demoAgencies)]
	c := demoCities[(i/len(demoAgencies))%len(demoCities)]
	code := DemoUnitPrefix + a.unitCode + "-" + c[0]
	name := fmt.Sprintf(a.unitName, c[1])
	if round := i / (len(demoAgencies) * len(demoCities)); round > 0 {
		code += fmt.Sprintf("-%d", round+1)
		name += fmt.Sprintf(" %d", round+1)
	}
	unit, err := db.CreateUnit(ctx, NewUnit{Code: code, Name: name + " (demo)", Agency: DemoUnitPrefix + a.code,
		AgencyName: a.name + " (demo)", Population: int64(5000 + 1000*((i*7919)%45)), RenameAgency: true})
	if errors.Is(err, ErrConflict) {
		unit, err = db.FindUnitByCode(ctx, code)
	}
	if err != nil {
		return demoUnit{}, 0, err
	}
	u := demoUnit{id: unit.ID}
	for _, sv := range a.services {
		s, err := db.CreateService(ctx, NewService{UnitID: unit.ID, Code: sv[0], Name: sv[1]})
		if errors.Is(err, ErrConflict) {
			s, err = db.FindServiceByCode(ctx, unit.ID, sv[0])
		}
		if err != nil {
			return demoUnit{}, 0, err
		}
		u.services = append(u.services, s.ID)
	}
	return u, len(u.services), nil
}

// demoSeeder draws responses and writes them in batches, one transaction per batch.
type demoSeeder struct {
	db                *DB
	r                 *rand.Rand
	loc               *time.Location
	flow              FlowVersion
	now               time.Time
	seed              uint64
	n                 int
	pending           []demoResponse
	complete, partial int
}

type demoResponse struct {
	Response
	channel   string
	startedAt int64
	position  int
}

func (s *demoSeeder) add(ctx context.Context, u *demoUnit, from, to time.Time) error {
	r := s.r
	at := s.when(from, to)
	s.n++
	resp := Response{
		UnitID: u.id, ServiceID: &u.services[r.IntN(len(u.services))], FlowID: s.flow.ID,
		FlowVersion: s.flow.Version, Status: ResponseComplete, FinishedAt: at.UnixMilli(),
		LocalDay: at.Year()*10000 + int(at.Month())*100 + at.Day(),
	}
	mood := r.NormFloat64() * 0.3
	low := -1
	for i := range resp.Scores {
		mean := u.quality + mood
		if i == u.weak {
			mean -= 0.7
		}
		if i == 3 { // Biaya/Tarif: many services are free ("Gratis" is 4)
			mean += 0.25
		}
		v := int(math.Round(mean + r.NormFloat64()*0.55))
		v = min(max(v, 1), 4)
		resp.Scores[i] = &v
		if v <= 2 && (low < 0 || i == u.weak) {
			low = i
		}
	}
	str := func(v string) *string { return &v }
	resp.JenisKelamin = str([]string{"L", "P"}[boolInt(r.IntN(100) < 45)])
	if r.IntN(50) > 0 {
		age := 17 + int(math.Abs(r.NormFloat64())*15) + r.IntN(8)
		age = min(age, 75)
		resp.Usia = &age
	}
	resp.Pendidikan, resp.Pekerjaan = str(pick(r, demoPendidikan)), str(pick(r, demoPekerjaan))
	if low >= 0 {
		ps := demoPerbaikan[low]
		resp.Perbaikan = str(ps[r.IntN(len(ps))])
	}
	if r.IntN(4) == 0 {
		resp.Saran = str(demoSaran[r.IntN(len(demoSaran))])
	}
	position := 15
	if r.IntN(100) < 3 {
		// A survey left halfway: kept as partial, never counted in the index.
		resp.Status = ResponsePartial
		position = 4 + r.IntN(5)
		for i := position - 4; i < 9; i++ {
			resp.Scores[i] = nil
		}
		resp.Perbaikan, resp.Saran = nil, nil
	}
	resp.RespondentID = int64(s.n) // replaced by the respondent's id when written
	s.pending = append(s.pending, demoResponse{Response: resp, channel: pick(r, demoChannels),
		startedAt: at.Add(-time.Duration(60+r.IntN(180)) * time.Second).UnixMilli(), position: position})
	if len(s.pending) >= demoBatch {
		return s.flush(ctx)
	}
	return nil
}

// when draws a moment in office hours (Monday to Saturday, 08:00–15:00 local) in [from, to).
func (s *demoSeeder) when(from, to time.Time) time.Time {
	days := scoring.PeriodDays(from, to)
	for range 20 {
		d := from.AddDate(0, 0, s.r.IntN(days))
		t := time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, s.loc).Add(time.Duration(s.r.IntN(7*3600)) * time.Second)
		if t.Weekday() != time.Sunday && !t.Before(from) && t.Before(to) {
			return t
		}
	}
	return from // a window too short to hold office hours
}

// flush writes the pending responses. On PostgreSQL, where each row costs a round trip, a
// batch is written by demoWriters transactions side by side: the default demo took 9.4 s one
// at a time and takes 4–4.4 s (4.4–5 s with 8, 5.7 s with 2) on two cores. SQLite's one
// writer would gain nothing (0.8 s).
func (s *demoSeeder) flush(ctx context.Context) error {
	if len(s.pending) == 0 {
		return nil
	}
	writers := 1
	if s.db.Dialect == Postgres {
		writers = demoWriters
	}
	chunks := slices.Collect(slices.Chunk(s.pending, (len(s.pending)+writers-1)/writers))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, chunk := range chunks {
		wg.Go(func() { errs[i] = s.write(ctx, chunk) })
	}
	wg.Wait()
	for _, p := range s.pending {
		if p.Status == ResponsePartial {
			s.partial++
		} else {
			s.complete++
		}
	}
	s.pending = s.pending[:0]
	return errors.Join(errs...)
}

// demoWriters is how many transactions write a batch side by side on PostgreSQL.
const demoWriters = 4

// write stores responses with their respondents and sessions, in one transaction.
func (s *demoSeeder) write(ctx context.Context, pending []demoResponse) error {
	return s.db.InTx(ctx, func(tx *Tx) error {
		for _, p := range pending {
			pseudonym := fmt.Sprintf("demo-%d-%d", s.seed, p.RespondentID)
			id, err := tx.Respondent(pseudonym, p.startedAt)
			if err != nil {
				return err
			}
			p.RespondentID = id
			state := SessionCompleted
			if p.Status == ResponsePartial {
				state = SessionExpired
			}
			if err := tx.Q("insert-demo-session").GetContext(ctx, &p.SessionID, p.channel, id, p.UnitID, p.ServiceID,
				p.FlowID, p.FlowVersion, p.position, state, p.startedAt, p.FinishedAt,
				p.startedAt+24*3600*1000, p.FinishedAt); err != nil {
				return wrap(err, "demo session")
			}
			if err := tx.InsertResponse(p.Response); err != nil {
				return err
			}
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
