from fne_cli.main import app

app()
