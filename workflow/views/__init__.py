"""The workflow's pages, one module per page (the proposal page, inbox, dashboard …)."""
