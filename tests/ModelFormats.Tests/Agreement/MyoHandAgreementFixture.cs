using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.ModelFormats.Agreement;

namespace MsMano.ModelFormats.Tests.Agreement;

/// <summary>One replay of every golden MyoHand protocol on the shipped hand, shared by the agreement tests.</summary>
public sealed class MyoHandAgreementFixture
{
    public MyoHandReference Reference { get; } = MyoHandReference.LoadEmbedded();

    public AgreementReport Report { get; }

    public MyoHandAgreementFixture()
    {
        Report = new MyoHandAgreement(new HandPlant(HandModelFile.LoadDefault()), Reference).Run();
    }
}
