"""Committees in full: who took part, what was decided, which actions follow with their owners and due dates
(the meetings themselves, their documents and report stay in roadmap/)."""
