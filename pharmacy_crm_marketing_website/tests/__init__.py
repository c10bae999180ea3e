from . import test_signup_request
