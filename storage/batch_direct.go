package storage

// A step of a WriteBatch that runs statements of its own (see WriteBatch): its savepoint,
// the other steps' kept writes it may see, and the reads that need neither.

// goDirect is called before a step runs a statement of its own. The first time, a savepoint
// is taken and the step's own kept writes run inside it. The other steps' kept writes are
// written out first if the statement may see them (others true): what it reads or writes
// would otherwise not be as it would one step after another. Written out later in the step,
// they are inside its savepoint, and kept again if the step fails.
func (w *WriteBatch) goDirect(others bool) {
	if w == nil || !w.inStep || w.err != nil {
		return
	}
	earlier := w.pending[:w.start]
	if !w.direct {
		w.direct = true
		own, ownOutbox := withoutOutbox(w.pending[w.start:])
		w.pending = w.pending[:w.start]
		if others {
			var rest []pendingWrite
			rest, w.pending = withoutOutbox(earlier)
			if w.err = w.writePending(rest); w.err != nil {
				return
			}
		}
		sp := "SAVEPOINT step"
		if w.savept {
			sp = "RELEASE SAVEPOINT step; SAVEPOINT step"
		}
		if _, err := w.tx.ExecContext(w.tx.ctx, sp); err != nil {
			w.err = wrap(err, "savepoint")
			return
		}
		w.savept = true
		w.err = w.writePending(own)
		w.start = len(w.pending)
		w.pending = append(w.pending, ownOutbox...)
		return
	}
	if others && len(earlier) > 0 {
		rest, outbox := withoutOutbox(earlier)
		if w.err = w.writePending(rest); w.err != nil {
			return
		}
		w.redo = append(w.redo, rest...)
		w.pending = append(outbox, w.pending[w.start:]...)
		w.start = len(outbox)
	}
}

// withoutOutbox splits kept writes into the outgoing messages and the rest. A step's direct
// statements never read the messages of another step's chat, so those stay kept until the
// batch is flushed, outside any step's savepoint: there they may be claimed (ClaimFor).
func withoutOutbox(ws []pendingWrite) (rest, outbox []pendingWrite) {
	for _, p := range ws {
		if p.kind == keptOutbox {
			outbox = append(outbox, p)
		} else {
			rest = append(rest, p)
		}
	}
	return rest, outbox
}

// touches reports whether the other steps' kept writes include a row of session id.
func (w *WriteBatch) touches(id int64) bool {
	return w.othersTouch(func(s int64) bool { return s == id })
}

// touchesVisit reports whether the other steps' kept writes include a row of a session on
// visit token (or of a session the batch did not read, to be safe).
func (w *WriteBatch) touchesVisit(token string) bool {
	return w.othersTouch(func(s int64) bool {
		v, ok := w.visitOf[s]
		return !ok || v == token
	})
}

// othersTouch reports whether a kept answer or session write of the other steps is of a
// session that match picks.
func (w *WriteBatch) othersTouch(match func(session int64) bool) bool {
	if w == nil || !w.inStep {
		return false
	}
	for _, p := range w.pending[:w.start] {
		if p.kind != keptOutbox && match(p.row[0].(int64)) {
			return true
		}
	}
	return false
}

// keptAnswers lays the kept answers and skips of a session over its stored answers a, in the
// order they were kept.
func (w *WriteBatch) keptAnswers(sessionID int64, a map[string]string) {
	for _, p := range w.pending {
		if (p.kind != keptAnswer && p.kind != keptNoAnswer) || p.row[0].(int64) != sessionID {
			continue
		}
		if q := p.row[1].(string); p.kind == keptAnswer {
			a[q] = p.row[2].(string)
		} else {
			delete(a, q)
		}
	}
}

// forgetSessions makes the next lookup read the sessions again: for a direct statement that
// changes the session of another chat than its step's (MoveSession). Those of the step's own
// chat are read again if the chat has another step in the batch (BeginStep).
func (w *WriteBatch) forgetSessions() {
	if w != nil {
		w.sessions = nil
	}
}
