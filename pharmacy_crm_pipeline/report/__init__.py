# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import pharmacy_pipeline_conversion_report
from . import pharmacy_patient_source_report
