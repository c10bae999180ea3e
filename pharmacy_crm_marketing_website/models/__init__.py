from . import mail_mass_mailing_list
from . import pharmacy_signup_request
