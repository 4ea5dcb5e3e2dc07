package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sukma/storage"
)

// codeShape is what a unit or service code may look like: it goes into URLs and file names.
var codeShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// directionProblem refuses a name with a bidi override or isolate (storage.NameDirection).
const directionProblem = "Nama tidak boleh memuat karakter pengatur arah teks (U+202A–U+202E, U+2066–U+2069): nama akan tampil terbalik. Ketik ulang namanya tanpa karakter itu."

type unitsPage struct {
	Units    []storage.Unit
	Form     unitForm
	Province bool
}

type unitForm struct {
	Code, Name, Agency, AgencyName, Population string
	// ServiceCode and ServiceName are the new-service form's, given back after a refusal.
	ServiceCode, ServiceName string
}

func (s *Server) handleUnits(w http.ResponseWriter, r *http.Request) {
	s.showUnits(w, r, http.StatusOK, unitForm{}, "")
}

func (s *Server) showUnits(w http.ResponseWriter, r *http.Request, status int, f unitForm, problem string) {
	a := current(r)
	units, err := s.units(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Role == storage.RoleUnit {
		f.Agency = a.AgencyCode
	}
	s.render(w, r, status, "units", view{Title: "Unit & layanan", Error: problem},
		unitsPage{Units: units, Form: f, Province: a.Role == storage.RoleProvince})
}

// readUnitForm reads and checks the unit form; problem says what to fix.
func readUnitForm(r *http.Request, a *storage.AdminSession) (f unitForm, pop int64, problem string) {
	f = unitForm{Code: strings.TrimSpace(r.PostFormValue("code")), Agency: strings.TrimSpace(r.PostFormValue("agency")),
		Population: strings.TrimSpace(r.PostFormValue("population"))}
	var nameProblem, agencyProblem storage.NameProblem
	f.Name, nameProblem = storage.CheckName(r.PostFormValue("name"))
	f.AgencyName, agencyProblem = storage.CheckName(r.PostFormValue("agency_name"))
	if a.Role == storage.RoleUnit {
		// A unit admin works within their agency only, and cannot rename it (the form does
		// not show its name to them; without a name the agency keeps its own).
		f.Agency, f.AgencyName, agencyProblem = a.AgencyCode, "", storage.NameEmpty
	}
	tr := view{Lang: lang(r)}.T
	if f.Population != "" {
		var why string
		if pop, why = parsePopulation(f.Population, lang(r)); why != "" {
			return f, 0, why
		}
	}
	switch {
	case nameProblem == storage.NameDirection || agencyProblem == storage.NameDirection:
		problem = directionProblem
	case nameProblem != storage.NameOK:
		problem = nameProblemText(tr, "Nama unit", f.Name, nameProblem)
	case f.Agency != "" && !codeShape.MatchString(f.Agency):
		problem = codeProblem(tr, "Kode instansi", f.Agency, "BAPENDA")
	case f.AgencyName != "" && f.Agency == "":
		problem = "Nama instansi perlu kode instansinya."
	case agencyProblem == storage.NameTooLong:
		problem = nameProblemText(tr, "Nama instansi", f.AgencyName, agencyProblem)
	}
	return f, pop, problem
}

func (s *Server) handleCreateUnit(w http.ResponseWriter, r *http.Request) {
	a := current(r)
	f, pop, problem := readUnitForm(r, a)
	if problem == "" {
		problem = codeProblem(view{Lang: lang(r)}.T, "Kode unit", f.Code, "SAMSAT-SBY1")
	}
	if problem != "" {
		s.showUnits(w, r, http.StatusUnprocessableEntity, f, problem)
		return
	}
	_, err := s.DB.CreateUnit(r.Context(), storage.NewUnit{Code: f.Code, Name: f.Name, Agency: f.Agency, AgencyName: f.AgencyName, Population: pop})
	if named := (*storage.AgencyNameError)(nil); errors.As(err, &named) {
		s.showUnits(w, r, http.StatusConflict, f, s.agencyNamed(r, named))
		return
	}
	if errors.Is(err, storage.ErrConflict) {
		s.showUnits(w, r, http.StatusConflict, f, s.codeTaken(r, f.Code, err))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+f.Code+"?ok=created", http.StatusSeeOther)
}

// agencyNamed says that a new unit's agency exists with another name than the form gave, and
// where to rename it: on the page of one of its units (Ubah unit → Nama instansi), the one
// place that renames an agency.
func (s *Server) agencyNamed(r *http.Request, e *storage.AgencyNameError) string {
	tr := view{Lang: lang(r)}.T
	msg := fmt.Sprintf(tr("Instansi %s sudah ada dengan nama “%s”. Kosongkan nama instansi untuk memakainya, atau ubah namanya di halaman salah satu unitnya (Ubah unit → Nama instansi)."), e.Code, e.Name)
	units, err := s.units(r.Context(), current(r))
	if err != nil {
		return msg
	}
	for _, u := range units {
		if u.AgencyCode == e.Code {
			return msg + " " + fmt.Sprintf(tr("Unitnya antara lain %s (/admin/units/%s)."), u.Code, u.Code)
		}
	}
	return msg
}

// codeTaken says why a unit's code, or the agency code given with it, is taken (err is an
// ErrConflict of CreateUnit or UpdateUnit): codes are one code whatever their case.
func (s *Server) codeTaken(r *http.Request, code string, err error) string {
	tr := view{Lang: lang(r)}.T
	var taken *storage.CodeTakenError
	switch {
	case !errors.As(err, &taken):
		return fmt.Sprintf(tr("Kode unit %s sudah dipakai. Pilih kode lain."), code)
	case taken.Agency:
		return fmt.Sprintf(tr("Kode instansi itu sudah dipakai instansi %s (huruf besar dan kecil tidak dibedakan): tulis %s untuk memakai instansi itu."), taken.Code, taken.Code)
	}
	msg := fmt.Sprintf(tr("Kode unit %s sudah dipakai. Pilih kode lain."), code)
	if taken.Code != code {
		msg = fmt.Sprintf(tr("Kode unit %s sudah dipakai oleh unit %s (huruf besar dan kecil tidak dibedakan). Pilih kode lain."), code, taken.Code)
	}
	if u, err := s.DB.FindUnitByCode(r.Context(), taken.Code); err == nil && u.RetiredAt != nil && canSee(current(r), u) {
		msg += " " + fmt.Sprintf(tr("Unit %s nonaktif: untuk memakainya lagi, buka /admin/units/%s lalu tekan Aktifkan kembali."), u.Code, u.Code)
	}
	return msg
}

type unitPage struct {
	Unit     storage.Unit
	Services []storage.Service
	Form     unitForm
	Province bool
}

func (s *Server) handleUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	s.showUnit(w, r, http.StatusOK, u, unitForm{Name: u.Name, Agency: u.AgencyCode, AgencyName: u.AgencyName,
		Population: strconv.FormatInt(u.Population, 10)}, "")
}

func (s *Server) showUnit(w http.ResponseWriter, r *http.Request, status int, u storage.Unit, f unitForm, problem string) {
	svcs, err := s.DB.FindServices(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "unit", view{Title: u.Name, Error: problem},
		unitPage{Unit: u, Services: svcs, Form: f, Province: current(r).Role == storage.RoleProvince})
}

func (s *Server) handleUpdateUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	f, pop, problem := readUnitForm(r, current(r))
	if problem != "" {
		s.showUnit(w, r, http.StatusUnprocessableEntity, u, f, problem)
		return
	}
	err := s.DB.UpdateUnit(r.Context(), u.ID, storage.UnitUpdate{Name: f.Name, Agency: f.Agency, AgencyName: f.AgencyName, Population: pop})
	if taken := (*storage.CodeTakenError)(nil); errors.As(err, &taken) && taken.Agency {
		s.showUnit(w, r, http.StatusConflict, u, f, s.codeTaken(r, u.Code, err))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+u.Code+"?ok=saved", http.StatusSeeOther)
}

func (s *Server) handleRetireUnit(w http.ResponseWriter, r *http.Request) {
	s.unitChange(w, r, "retired", s.DB.RetireUnit)
}

func (s *Server) handleRestoreUnit(w http.ResponseWriter, r *http.Request) {
	s.unitChange(w, r, "restored", s.DB.RestoreUnit)
}

func (s *Server) unitChange(w http.ResponseWriter, r *http.Request, notice string, change func(ctx context.Context, id int64) error) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	if err := change(r.Context(), u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+u.Code+"?ok="+notice, http.StatusSeeOther)
}

func (s *Server) handleCreateService(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	name, nameProblem := storage.CheckName(r.PostFormValue("name"))
	f := unitForm{Name: u.Name, Agency: u.AgencyCode, AgencyName: u.AgencyName, Population: strconv.FormatInt(u.Population, 10),
		ServiceCode: code, ServiceName: name}
	// Each field that is wrong is named, with its rule.
	tr := view{Lang: lang(r)}.T
	if why := strings.TrimSpace(codeProblem(tr, "Kode layanan", code, "PKB") + " " + nameProblemText(tr, "Nama layanan", name, nameProblem)); why != "" {
		s.showUnit(w, r, http.StatusUnprocessableEntity, u, f, why)
		return
	}
	_, err := s.DB.CreateService(r.Context(), storage.NewService{UnitID: u.ID, Code: code, Name: name})
	if named := (*storage.ServiceNameTakenError)(nil); errors.As(err, &named) {
		s.showUnit(w, r, http.StatusConflict, u, f, nameTaken(tr, named))
		return
	}
	if errors.Is(err, storage.ErrConflict) {
		tr := view{Lang: lang(r)}.T
		msg := fmt.Sprintf(tr("Unit ini sudah punya layanan berkode %s."), code)
		if taken := (*storage.CodeTakenError)(nil); errors.As(err, &taken) && taken.Code != code {
			code = taken.Code // the same code in another case: PKB takes pkb
			msg = fmt.Sprintf(tr("Unit ini sudah punya layanan berkode %s (huruf besar dan kecil tidak dibedakan)."), code)
		}
		if sv, err := s.DB.FindServiceByCode(r.Context(), u.ID, code); err == nil && sv.Retired() {
			msg += " " + fmt.Sprintf(tr("Layanan itu (%s) nonaktif: tekan Aktifkan kembali di daftar layanan untuk memakainya lagi."), sv.Name)
		}
		s.showUnit(w, r, http.StatusConflict, u, f, msg)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+u.Code+"?ok=created", http.StatusSeeOther)
}

// nameTaken refuses a service name another of the unit's services has.
func nameTaken(tr func(string) string, e *storage.ServiceNameTakenError) string {
	return fmt.Sprintf(tr("Layanan %s sudah bernama “%s” (huruf besar dan kecil tidak dibedakan). Pilih nama lain, agar warga dan dasbor dapat membedakannya."), e.Code, e.Name)
}

// handleRenameService gives the service {service} of the unit {code} the posted name.
func (s *Server) handleRenameService(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	sv, err := s.DB.FindServiceByCode(r.Context(), u.ID, r.PathValue("service"))
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, "Layanan tidak ditemukan.")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	tr := view{Lang: lang(r)}.T
	f := unitForm{Name: u.Name, Agency: u.AgencyCode, AgencyName: u.AgencyName, Population: strconv.FormatInt(u.Population, 10)}
	name, problem := storage.CheckName(r.PostFormValue("name"))
	if why := nameProblemText(tr, "Nama layanan", name, problem); why != "" {
		s.showUnit(w, r, http.StatusUnprocessableEntity, u, f, why)
		return
	}
	err = s.DB.RenameService(r.Context(), sv.ID, name)
	if named := (*storage.ServiceNameTakenError)(nil); errors.As(err, &named) {
		s.showUnit(w, r, http.StatusConflict, u, f, nameTaken(tr, named))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+u.Code+"?ok=saved", http.StatusSeeOther)
}

func (s *Server) handleRetireService(w http.ResponseWriter, r *http.Request) {
	s.serviceChange(w, r, "service-retired", s.DB.RetireService)
}

func (s *Server) handleRestoreService(w http.ResponseWriter, r *http.Request) {
	s.serviceChange(w, r, "service-restored", s.DB.RestoreService)
}

// serviceChange retires or restores the service {service} of the unit {code}.
func (s *Server) serviceChange(w http.ResponseWriter, r *http.Request, notice string, change func(ctx context.Context, id int64) error) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	sv, err := s.DB.FindServiceByCode(r.Context(), u.ID, r.PathValue("service"))
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, "Layanan tidak ditemukan.")
		return
	}
	if err == nil {
		err = change(r.Context(), sv.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/units/"+u.Code+"?ok="+notice, http.StatusSeeOther)
}

type posterPage struct {
	Unit       storage.Unit
	Link, QR   string
	Format     string // a4 or a5
	Expires    string
	Service    string
	Visit      bool
	ServiceErr string
}

// handlePoster shows the unit's printable poster: its name, the QR code of its standing
// link (created now if the unit has none) and how to use it.
func (s *Server) handlePoster(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	if u.RetiredAt != nil {
		s.render(w, r, http.StatusConflict, "message", view{Title: u.Name},
			message{Text: "Unit ini nonaktif dan tidak menerima survei. Aktifkan kembali untuk mencetak poster.", Back: "/admin/units/" + u.Code})
		return
	}
	token, err := s.DB.EnsureStandingToken(r.Context(), u.ID, func() string { return randomToken(32) })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "a5" {
		format = "a4"
	}
	base := s.publicURL(r)
	s.render(w, r, http.StatusOK, "poster", view{Title: "Poster QR"}, posterPage{Unit: u, Format: format,
		Link: base + "/s/" + token, QR: "/api/v1/standing/" + token + "/qr.png"})
}

// visitValidity matches POST /api/v1/visits: a week to rate a visit.
const visitValidity = 7 * 24 * time.Hour

// handleVisit creates a single-use visit token (for counters that hand one out per visit)
// and shows its QR code, ready to print on a small slip.
func (s *Server) handleVisit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	if u.RetiredAt != nil {
		s.forbidden(w, r, "Unit ini nonaktif dan tidak menerima survei.")
		return
	}
	nv := storage.NewVisit{Token: randomToken(32), UnitID: u.ID, FlowID: "skm", ExpiresAt: s.DB.Now().Add(visitValidity).UnixMilli()}
	p := posterPage{Unit: u, Visit: true, Format: "a5"}
	if code := r.PostFormValue("service"); code != "" {
		sv, err := s.DB.FindServiceByCode(r.Context(), u.ID, code)
		if err != nil || sv.Retired() {
			s.notFound(w, r, "Layanan tidak ditemukan atau nonaktif.")
			return
		}
		nv.ServiceID, p.Service = &sv.ID, sv.Name
	}
	if err := s.DB.CreateVisit(r.Context(), nv); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Link = s.publicURL(r) + "/s/" + nv.Token
	p.QR = "/api/v1/visits/" + nv.Token + "/qr.png"
	p.Expires = s.when(nv.ExpiresAt)
	s.render(w, r, http.StatusOK, "poster", view{Title: "QR kunjungan"}, p)
}
