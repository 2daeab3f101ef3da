/** An account as the gateway returns it (GET /api/auth/account, /api/auth/users): a mediator, Inès Martin. */
export const MEDIATOR_ACCOUNT = {
  id: "u2",
  email: "ines@savoie.fr",
  display_name: "Inès Martin",
  role: "mediator",
  active: true,
  password_set: true,
  password_changed_at: "2026-11-20T10:00:00Z",
  password_token_expires_at: null,
  created_at: "2026-11-01T10:00:00Z",
  created_by: "u1",
  updated_at: null,
  updated_by: null,
  last_login_at: null,
};
