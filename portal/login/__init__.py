"""Staff sign-in: the password step with its throttles, and the second factor (django-otp)."""
