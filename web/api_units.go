package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"sukma/storage"
)

// validCode is the shape of unit, service and agency codes: 1–32 letters, digits, "_" or
// "-". Codes go into URLs and file names unescaped. A unit's or an agency's code is one code
// whatever its case (storage.CodeTakenError); a service's is compared case-sensitively.
var validCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

func checkCode(field, code string) problem {
	if code == "" {
		return problem{fmt.Sprintf("%q wajib diisi", field), fmt.Sprintf("%q is required", field)}
	}
	if !validCode.MatchString(code) {
		return problem{fmt.Sprintf("%q harus 1 sampai 32 huruf, angka, \"_\" atau \"-\", bukan %q", field, code),
			fmt.Sprintf("%q must be 1 to 32 letters, digits, \"_\" or \"-\", not %q", field, code)}
	}
	return problem{}
}

// nameProblem says what is wrong with a name, as storage.CheckName found it.
func nameProblem(field string, p storage.NameProblem) problem {
	switch p {
	case storage.NameEmpty:
		return problem{fmt.Sprintf("%q wajib diisi", field), fmt.Sprintf("%q is required", field)}
	case storage.NameTooLong:
		return problem{fmt.Sprintf("%q paling panjang %d karakter", field, storage.MaxName), fmt.Sprintf("%q must be at most %d characters", field, storage.MaxName)}
	case storage.NameDirection:
		return problem{fmt.Sprintf("%q memuat karakter pengatur arah teks (U+202A–U+202E, U+2066–U+2069), yang membuat nama tampil terbalik: hapus karakter itu", field),
			fmt.Sprintf("%q holds a bidi control character (U+202A–U+202E, U+2066–U+2069), which shows the name reversed: remove it", field)}
	}
	return problem{}
}

type unitRequest struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Agency     string `json:"agency"`
	AgencyName string `json:"agency_name"`
	Population int64  `json:"population"`
}

// handleCreateUnit: POST /api/v1/units {"code","name","agency"?,"agency_name"?,"population"?}
// → 201 with the unit; 409 if the code is taken (in any case, by a unit active or retired),
// or the agency's code is another agency's in another case. population is the number of people the unit
// serves in a period (for the sample size), 0 when unknown. agency_name names a new agency or
// renames the agency; without it an existing agency keeps its name.
func (s *Server) handleCreateUnit(w http.ResponseWriter, r *http.Request) {
	var req unitRequest
	if !decode(w, r, &req) {
		return
	}
	var nameP, agencyNameP storage.NameProblem
	req.Name, nameP = storage.CheckName(req.Name)
	req.AgencyName, agencyNameP = storage.CheckName(req.AgencyName)
	msg := checkCode("code", req.Code)
	if msg == (problem{}) {
		msg = nameProblem("name", nameP)
	}
	if msg == (problem{}) && req.Agency != "" {
		msg = checkCode("agency", req.Agency)
	}
	if msg == (problem{}) && agencyNameP != storage.NameEmpty { // without a name, the agency keeps its own
		if req.Agency == "" {
			msg = problem{`"agency_name" memerlukan "agency": kode instansi yang dinamainya`, `"agency_name" needs "agency": the code of the agency it names`}
		} else {
			msg = nameProblem("agency_name", agencyNameP)
		}
	}
	if msg == (problem{}) && (req.Population < 0 || req.Population > storage.MaxPopulation) {
		msg = problem{fmt.Sprintf(`"population" harus dari 0 sampai %d (pengguna layanan setahun), bukan %d`, storage.MaxPopulation, req.Population),
			fmt.Sprintf(`"population" must be from 0 to %d (service users a year), not %d`, storage.MaxPopulation, req.Population)}
	}
	if msg != (problem{}) {
		msg.write(w, http.StatusBadRequest)
		return
	}
	u, err := s.DB.CreateUnit(r.Context(), storage.NewUnit{
		Code: req.Code, Name: req.Name, Agency: req.Agency,
		AgencyName: req.AgencyName, Population: req.Population, RenameAgency: true,
	})
	var taken *storage.CodeTakenError
	switch {
	case errors.As(err, &taken) && taken.Agency:
		writeError(w, http.StatusConflict, fmt.Sprintf(`"agency" %q adalah instansi %q (huruf besar dan kecil tidak dibedakan): tulis %q`, req.Agency, taken.Code, taken.Code),
			fmt.Sprintf(`"agency" %q is agency %q (codes ignore case): write %q`, req.Agency, taken.Code, taken.Code))
		return
	case errors.As(err, &taken) && taken.Code != req.Code:
		writeError(w, http.StatusConflict, fmt.Sprintf("Unit %q sudah ada sebagai %q (huruf besar dan kecil tidak dibedakan): pilih kode lain", req.Code, taken.Code),
			fmt.Sprintf("unit %q already exists as %q (codes ignore case): choose another code", req.Code, taken.Code))
		return
	case errors.Is(err, storage.ErrConflict):
		writeError(w, http.StatusConflict, fmt.Sprintf("Unit %q sudah ada: pilih kode lain", req.Code), fmt.Sprintf("unit %q already exists: choose another code", req.Code))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, unitJSON{Unit: u})
}

// unitJSON is a unit as the API gives it: storage.Unit's fields, and whether it is retired
// (takes no surveys), as a service says.
type unitJSON struct {
	storage.Unit
	Retired bool `json:"retired"`
}

// handleListUnits: GET /api/v1/units → a JSON array of every unit, by code, retired ones
// included (with "retired": true).
func (s *Server) handleListUnits(w http.ResponseWriter, r *http.Request) {
	us, err := s.DB.FindUnits(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]unitJSON, len(us))
	for i, u := range us {
		out[i] = unitJSON{Unit: u, Retired: u.RetiredAt != nil}
	}
	writeJSON(w, http.StatusOK, out)
}

// unitFromPath finds the unit named by {code}, answering 404 (or 500) if it cannot.
func (s *Server) unitFromPath(w http.ResponseWriter, r *http.Request) (storage.Unit, bool) {
	code := r.PathValue("code")
	u, err := s.DB.FindUnitByCode(r.Context(), code)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Unit %q tidak ditemukan: buat dengan POST /api/v1/units", code),
			fmt.Sprintf("unit %q not found: create it with POST /api/v1/units", code))
		return u, false
	}
	if err != nil {
		s.internalError(w, r, err)
		return u, false
	}
	return u, true
}

type serviceJSON struct {
	Unit    string `json:"unit"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	Retired bool   `json:"retired"`
}

func toServiceJSON(unit string, sv storage.Service) serviceJSON {
	return serviceJSON{Unit: unit, Code: sv.Code, Name: sv.Name, Retired: sv.Retired()}
}

// handleCreateService: POST /api/v1/units/{code}/services {"code","name"} → 201
// {"unit","code","name","retired"}; 404 for an unknown unit, 409 if the unit has the code, or
// a service in use of the name.
func (s *Server) handleCreateService(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if !decode(w, r, &req) {
		return
	}
	var nameP storage.NameProblem
	req.Name, nameP = storage.CheckName(req.Name)
	msg := checkCode("code", req.Code)
	if msg == (problem{}) {
		msg = nameProblem("name", nameP)
	}
	if msg != (problem{}) {
		msg.write(w, http.StatusBadRequest)
		return
	}
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	sv, err := s.DB.CreateService(r.Context(), storage.NewService{UnitID: u.ID, Code: req.Code, Name: req.Name})
	if named := (*storage.ServiceNameTakenError)(nil); errors.As(err, &named) {
		writeError(w, http.StatusConflict, fmt.Sprintf("Layanan %q unit %q sudah bernama %q: pilih nama lain", named.Code, u.Code, named.Name),
			fmt.Sprintf("service %q of unit %q is already named %q: choose another name", named.Code, u.Code, named.Name))
		return
	}
	if errors.Is(err, storage.ErrConflict) {
		writeError(w, http.StatusConflict, fmt.Sprintf("Unit %q sudah punya layanan %q: pilih kode lain", u.Code, req.Code),
			fmt.Sprintf("unit %q already has a service %q: choose another code", u.Code, req.Code))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toServiceJSON(u.Code, sv))
}

// handleListServices: GET /api/v1/units/{code}/services → a JSON array of the unit's
// services by code, retired ones included (with "retired": true).
func (s *Server) handleListServices(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	ss, err := s.DB.FindServices(r.Context(), u.ID)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]serviceJSON, len(ss))
	for i, sv := range ss {
		out[i] = toServiceJSON(u.Code, sv)
	}
	writeJSON(w, http.StatusOK, out)
}
