from web.app import App
from web.views import register_views

app = App("demo")
register_views(app)


@app.route("/health")
def health(request):
    return {"ok": True}


app.handle("/users")
app.handle("/health")
