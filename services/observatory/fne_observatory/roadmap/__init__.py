"""The FNE Savoie roadmap as data, its scoreboard (targets, recorded values, milestones, statuses) and the
comité de suivi's meetings and printable report."""
