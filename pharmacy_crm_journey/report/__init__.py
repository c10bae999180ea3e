from . import pharmacy_journey_funnel_report
