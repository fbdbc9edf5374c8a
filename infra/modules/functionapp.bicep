@description('Azure region.')
param location string

@description('Function app and plan name.')
param name string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Storage account for the host and the decision log.')
param storageName string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainer string

@description('Table that holds decisions and account timelines.')
param decisionsTableName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Most instances the plan may scale out to.')
param maximumInstanceCount int

@description('Memory per instance in MB.')
param instanceMemoryMB int

@description('Client id of the Microsoft Entra app registration; empty leaves App Service authentication off.')
param entraClientId string

@description('Tenant of the app registration.')
param entraTenantId string

// NOTE: the X-MS-CLIENT-PRINCIPAL header is trusted only where App Service authentication is on: it sets the header
// and drops any copy a client sends.
var trustAppServicePrincipal = !empty(entraClientId)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'PostGate__Storage__TableServiceUri'
          value: tableEndpoint
        }
        {
          name: 'PostGate__Storage__TableName'
          value: decisionsTableName
        }
        {
          name: 'PostGate__Auth__TrustAppServicePrincipal'
          value: trustAppServicePrincipal ? 'true' : 'false'
        }
      ]
    }
  }
}

// Sign-in for people (the compliance console): App Service validates Microsoft Entra ID tokens and sessions and passes
// the caller to the app. Anonymous requests still reach the app, which answers them itself: schedulers use API keys,
// and the app refuses what it cannot authenticate.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (trustAppServicePrincipal) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            entraClientId
            'api://${entraClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

@description('Default host name of the function app.')
output defaultHostName string = site.properties.defaultHostName
