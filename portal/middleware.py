"""Indonesian first: the interface language comes from the visitor's explicit choice (the
language switch sets a cookie), never from the browser's Accept-Language header."""


class IndonesianFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
