from fne_kernel.errors import Conflict, NotFound


class QuestionnaireNotFound(NotFound):
    code, title = "questionnaire-not-found", "Questionnaire introuvable"


class NotADraft(Conflict):
    code, title = "questionnaire-not-draft", "Seul un brouillon se modifie"


class DraftAlreadyOpen(Conflict):
    code, title = "draft-already-open", "Un brouillon de ce questionnaire existe déjà"


class NotPublished(Conflict):
    code, title = "questionnaire-not-published", "Questionnaire non publié"


class QuestionnaireRetired(Conflict):
    code, title = "questionnaire-retired", "Cette version du questionnaire est retirée"
