from . import pharmacy_signup_request
