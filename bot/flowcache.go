package bot

import (
	"fmt"
	"sync"

	"sukma/flows"
	"sukma/storage"
)

// flowCache keeps parsed flow versions. Published versions are immutable, so an entry never
// goes stale and replicas need not agree on anything.
type flowCache struct {
	mu sync.Mutex
	m  map[string]*flows.Flow
}

func (c *flowCache) get(tx *storage.Tx, id string, version int) (*flows.Flow, error) {
	key := fmt.Sprintf("%s@%d", id, version)
	c.mu.Lock()
	f, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	fv, err := tx.FindFlowVersion(id, version)
	if err != nil {
		return nil, err
	}
	f, err = flows.ParsePublished(key, []byte(fv.Source))
	if err != nil {
		return nil, fmt.Errorf("bot: published flow %s does not parse: %w", key, err)
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*flows.Flow{}
	}
	c.m[key] = f
	c.mu.Unlock()
	return f, nil
}
