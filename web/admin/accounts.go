package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"sukma/storage"
)

type adminsPage struct {
	Admins   []storage.Admin
	Agencies []storage.AgencyListing
	Form     struct{ Username, Role, Agency string }
}

func (s *Server) handleAdmins(w http.ResponseWriter, r *http.Request) {
	s.showAdmins(w, r, http.StatusOK, adminsPage{}, "")
}

func (s *Server) showAdmins(w http.ResponseWriter, r *http.Request, status int, p adminsPage, problem string) {
	var err error
	if p.Admins, err = s.DB.FindAdmins(r.Context()); err == nil {
		p.Agencies, err = s.DB.ListAgencies(r.Context())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admins", view{Title: "Akun admin", Error: problem, Warnings: sameNames(p.Admins, lang(r))}, p)
}

// sameNames warns of accounts whose usernames differ in case only, made before usernames
// ignored case: each signs in with its own spelling only (storage.FindAdminByUsername), and
// one of them is likely not wanted.
func sameNames(admins []storage.Admin, lang string) []string {
	tr := view{Lang: lang}.T
	names := map[string][]string{}
	var keys []string
	for _, a := range admins {
		k := strings.ToLower(a.Username)
		if names[k] == nil {
			keys = append(keys, k)
		}
		names[k] = append(names[k], a.Username)
	}
	var out []string
	for _, k := range keys {
		if len(names[k]) > 1 {
			out = append(out, fmt.Sprintf(tr("Akun %s hanya berbeda huruf besar dan kecil (dibuat sebelum nama pengguna tidak membedakannya): masing-masing masuk hanya dengan ejaan persis namanya. Hapus akun yang tidak dipakai."),
				strings.Join(names[k], ", ")))
		}
	}
	return out
}

// handleCreateAdmin creates an account with a first password that its owner must change at
// the first sign-in.
func (s *Server) handleCreateAdmin(w http.ResponseWriter, r *http.Request) {
	var p adminsPage
	p.Form.Username = strings.TrimSpace(r.PostFormValue("username"))
	p.Form.Role = r.PostFormValue("role")
	p.Form.Agency = r.PostFormValue("agency")
	pw := r.PostFormValue("password")
	n := storage.NewAdmin{Username: p.Form.Username, Role: p.Form.Role, MustChangePassword: true}
	problem := ""
	tr := view{Lang: lang(r)}.T
	switch {
	case !codeShape.MatchString(n.Username):
		problem = codeProblem(tr, "Nama pengguna", n.Username, "kepala-dinkes")
	case utf8.RuneCountInString(pw) < minPassword:
		problem = "Kata sandi awal minimal 10 karakter."
	case n.Role != storage.RoleProvince && n.Role != storage.RoleUnit:
		problem = "Pilih peran: admin provinsi atau admin unit."
	}
	if problem == "" && n.Role == storage.RoleUnit {
		id, err := strconv.ParseInt(p.Form.Agency, 10, 64)
		if err != nil {
			problem = "Admin unit perlu instansi."
		} else if _, err := s.DB.FindAgencyByID(r.Context(), id); errors.Is(err, storage.ErrNotFound) {
			problem = "Instansi tidak ditemukan."
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		n.AgencyID = &id
	}
	if problem != "" {
		s.showAdmins(w, r, http.StatusUnprocessableEntity, p, problem)
		return
	}
	hash, err := hashPassword(pw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n.PasswordHash = hash
	_, err = s.DB.CreateAdmin(r.Context(), n)
	if taken := (*storage.UsernameTakenError)(nil); errors.As(err, &taken) {
		msg := fmt.Sprintf(tr("Nama pengguna %s sudah dipakai. Pilih nama lain."), n.Username)
		if taken.Username != n.Username {
			msg = fmt.Sprintf(tr("Nama pengguna %s sudah dipakai oleh akun %s: huruf besar dan kecil tidak dibedakan, juga saat masuk. Pilih nama lain."), n.Username, taken.Username)
		}
		s.showAdmins(w, r, http.StatusConflict, p, msg)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/admins?ok=created", http.StatusSeeOther)
}

func (s *Server) handleDeleteAdmin(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r, "Akun tidak ditemukan.")
		return
	}
	if id == current(r).ID {
		s.forbidden(w, r, "Anda tidak dapat menghapus akun Anda sendiri.")
		return
	}
	if err := s.DB.DeleteAdmin(r.Context(), id); errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, "Akun tidak ditemukan.")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/admins?ok=deleted", http.StatusSeeOther)
}
