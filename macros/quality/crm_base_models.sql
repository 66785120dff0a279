{#- Every CRM object and the base model holding all of its raw export rows (kept and rejected). -#}
{% macro crm_base_models() %}
    {{ return({
        'opportunity': 'base_crm__opportunities',
        'opportunity_history': 'base_crm__opportunity_history',
        'lead': 'base_crm__leads',
        'opportunity_contact_role': 'base_crm__opportunity_contact_roles',
        'account': 'base_crm__accounts',
        'user': 'base_crm__users',
        'dated_conversion_rate': 'base_crm__dated_conversion_rates',
        'opportunity_version': 'base_crm__opportunity_versions',
    }) }}
{% endmacro %}
