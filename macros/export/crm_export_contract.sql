{#-
    The raw-export contract: for every CRM object, whether its file is required,
    the Salesforce API columns the project reads (in order), and the columns that
    must be present in the file. Other contract columns missing from a file are read
    as null; columns outside the contract are ignored.
-#}
{% macro crm_export_contract() %}
    {{ return({
        'opportunity': {
            'required': true,
            'columns': ['Id', 'AccountId', 'Name', 'Type', 'StageName', 'Amount', 'CurrencyIsoCode',
                        'CloseDate', 'CreatedDate', 'LastModifiedDate', 'IsClosed', 'IsWon', 'IsDeleted',
                        'OwnerId', 'LeadSource', 'Probability', 'ForecastCategoryName'],
            'must_have': ['Id', 'StageName', 'Amount', 'CloseDate', 'CreatedDate'],
        },
        'opportunity_history': {
            'required': true,
            'columns': ['Id', 'OpportunityId', 'CreatedDate', 'StageName', 'Amount', 'CloseDate',
                        'Probability', 'ForecastCategory', 'IsDeleted'],
            'must_have': ['OpportunityId', 'CreatedDate', 'StageName', 'Amount', 'CloseDate'],
        },
        'lead': {
            'required': true,
            'columns': ['Id', 'CreatedDate', 'Status', 'LeadSource', 'IsConverted', 'ConvertedDate',
                        'ConvertedOpportunityId', 'ConvertedContactId', 'ConvertedAccountId', 'Email',
                        'Company', 'OwnerId', 'IsDeleted', 'MQL_Date__c', 'SAL_Date__c'],
            'must_have': ['Id', 'CreatedDate'],
        },
        'opportunity_contact_role': {
            'required': true,
            'columns': ['Id', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary', 'CreatedDate', 'IsDeleted'],
            'must_have': ['OpportunityId', 'ContactId'],
        },
        'account': {
            'required': false,
            'columns': ['Id', 'Name', 'Type', 'Industry', 'BillingCountry', 'NumberOfEmployees'],
            'must_have': ['Id'],
        },
        'user': {
            'required': false,
            'columns': ['Id', 'Name', 'UserRoleId', 'ManagerId'],
            'must_have': ['Id'],
        },
        'dated_conversion_rate': {
            'required': false,
            'columns': ['IsoCode', 'ConversionRate', 'StartDate', 'NextStartDate'],
            'must_have': ['IsoCode', 'ConversionRate', 'StartDate'],
        },
    }) }}
{% endmacro %}
