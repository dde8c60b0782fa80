from .models import User


def register_views(app):
    @app.route("/users")
    def users(request):
        return [u.to_dict() for u in User.all()]


