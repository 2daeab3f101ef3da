from fne_kernel.errors import NotFound


class FrameworkNotFound(NotFound):
    code, title = "framework-not-found", "Référentiel introuvable"
