"""Members and rights: invitations, agency members, promoted administrators, the audit log."""
