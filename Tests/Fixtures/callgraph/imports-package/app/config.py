def settings():
    return {"debug": False}
